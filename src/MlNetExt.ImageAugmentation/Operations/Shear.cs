using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Shears the image horizontally about its centre: x' = x + tan(angle) * y, with the angle uniform in
/// [MinDegrees, MaxDegrees].
/// </summary>
public sealed class Shear : AngleOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minDegrees">Smallest shear angle, in (-90, 90).</param>
    /// <param name="maxDegrees">Largest shear angle, in (-90, 90).</param>
    /// <param name="probability">Probability in [0, 1] that an image is sheared.</param>
    /// <param name="randomSign">When true, the drawn angle is negated with probability 1/2.</param>
    public Shear(double minDegrees = -10, double maxDegrees = 10, double probability = 0.5, bool randomSign = false)
        : base(minDegrees, maxDegrees, probability, randomSign, limitDegrees: 90, limitExclusive: true) { }

    /// <inheritdoc />
    public override string Name => "Shear";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan) =>
        plan.AppendInverse(1, -Math.Tan(DrawRadians(ref random)), 0, 0, 1, 0);
}
