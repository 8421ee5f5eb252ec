using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Colour cast: adds one random offset per channel (R, G, B) to the whole image, each drawn from a normal
/// distribution whose standard deviation (in units of the full range, 1 = 255) is uniform in [MinStd, MaxStd].
/// </summary>
public sealed class ColorNoise : NoiseOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minStd">Smallest standard deviation, in [0, 1].</param>
    /// <param name="maxStd">Largest standard deviation, in [0, 1].</param>
    /// <param name="probability">Probability in [0, 1] that the operation applies.</param>
    public ColorNoise(double minStd = 0, double maxStd = 0.05, double probability = 0.5) : base(minStd, maxStd, probability)
    {
    }

    /// <inheritdoc />
    public override string Name => "ColorNoise";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
    {
        double std = DrawStd(ref random);
        for (int c = 0; c < 3; c++) plan.ColorOffset[c] += std * random.NextGaussian();
    }
}
