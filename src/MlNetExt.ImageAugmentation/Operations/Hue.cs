using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Rotates colours about the gray axis by an angle uniform in [MinDegrees, MaxDegrees] (a linear hue shift
/// in YIQ space: luma and saturation are kept, grays are unchanged).
/// </summary>
public sealed class Hue : AngleOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minDegrees">Smallest hue shift, in [-180, 180].</param>
    /// <param name="maxDegrees">Largest hue shift, in [-180, 180].</param>
    /// <param name="probability">Probability in [0, 1] that the operation applies.</param>
    /// <param name="randomSign">When true, the drawn angle is negated with probability 1/2.</param>
    public Hue(double minDegrees = -10, double maxDegrees = 10, double probability = 0.5, bool randomSign = false)
        : base(minDegrees, maxDegrees, probability, randomSign, limitDegrees: 180, limitExclusive: false) { }

    /// <inheritdoc />
    public override string Name => "Hue";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan) =>
        plan.HueRadians += DrawRadians(ref random);
}
