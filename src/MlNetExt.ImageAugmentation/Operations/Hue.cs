using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Rotates colours about the gray axis by an angle uniform in [MinDegrees, MaxDegrees] (a linear hue shift
/// in YIQ space: luma and saturation are kept, grays are unchanged).
/// </summary>
public sealed class Hue : AugmentationOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minDegrees">Smallest hue shift, in [-180, 180].</param>
    /// <param name="maxDegrees">Largest hue shift, in [-180, 180].</param>
    /// <param name="probability">Probability in [0, 1] that the operation applies.</param>
    /// <param name="randomSign">When true, the drawn angle is negated with probability 1/2.</param>
    public Hue(double minDegrees = -10, double maxDegrees = 10, double probability = 0.5, bool randomSign = false)
        : base(probability)
    {
        Validate.Range(minDegrees, maxDegrees, nameof(minDegrees), nameof(maxDegrees), -180, 180);
        MinDegrees = minDegrees;
        MaxDegrees = maxDegrees;
        RandomSign = randomSign;
    }

    /// <summary>Smallest hue shift in degrees.</summary>
    public double MinDegrees { get; }

    /// <summary>Largest hue shift in degrees.</summary>
    public double MaxDegrees { get; }

    /// <summary>Whether the drawn angle's sign is randomised.</summary>
    public bool RandomSign { get; }

    /// <inheritdoc />
    public override string Name => "Hue";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
    {
        double degrees = random.Uniform(MinDegrees, MaxDegrees);
        if (RandomSign) degrees *= random.NextSign();
        plan.HueRadians += degrees * Math.PI / 180;
    }
}
