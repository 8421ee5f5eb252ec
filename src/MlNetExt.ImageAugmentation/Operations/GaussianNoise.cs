using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Adds independent zero-mean noise to every pixel and channel, with a standard deviation (in units of the
/// full range, 1 = 255) uniform in [MinStd, MaxStd]. The <c>MLImage</c> path draws it from a fast
/// approximately normal generator (sum of four uniforms), the tensor path from <c>torch.randn</c>.
/// </summary>
public sealed class GaussianNoise : NoiseOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minStd">Smallest standard deviation, in [0, 1].</param>
    /// <param name="maxStd">Largest standard deviation, in [0, 1].</param>
    /// <param name="probability">Probability in [0, 1] that the operation applies.</param>
    public GaussianNoise(double minStd = 0, double maxStd = 0.05, double probability = 0.5) : base(minStd, maxStd, probability)
    {
    }

    /// <inheritdoc />
    public override string Name => "GaussianNoise";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
    {
        double std = DrawStd(ref random);
        plan.NoiseStd = Math.Sqrt(plan.NoiseStd * plan.NoiseStd + std * std);
        plan.NoiseSeed = random.NextUInt64();
    }
}
