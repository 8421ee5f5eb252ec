using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Rotates the image about its centre by an angle uniform in [MinDegrees, MaxDegrees]; positive angles turn
/// the picture counter-clockwise as displayed. Corners that come from outside the image become black.
/// </summary>
public sealed class Rotate : AngleOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minDegrees">Smallest angle, in [-180, 180].</param>
    /// <param name="maxDegrees">Largest angle, in [-180, 180].</param>
    /// <param name="probability">Probability in [0, 1] that an image is rotated.</param>
    /// <param name="randomSign">When true, the drawn angle is negated with probability 1/2 (use with a
    /// non-negative range for "a fixed magnitude in either direction").</param>
    public Rotate(double minDegrees = -15, double maxDegrees = 15, double probability = 0.5, bool randomSign = false)
        : base(minDegrees, maxDegrees, probability, randomSign, limitDegrees: 180, limitExclusive: false) { }

    /// <inheritdoc />
    public override string Name => "Rotate";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
    {
        double t = DrawRadians(ref random), cos = Math.Cos(t), sin = Math.Sin(t);
        // Forward (y down, counter-clockwise on screen): x' = x cos + y sin, y' = -x sin + y cos; inverse below.
        plan.AppendInverse(cos, -sin, 0, sin, cos, 0);
    }
}
