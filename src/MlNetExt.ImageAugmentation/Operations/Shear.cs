using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Shears the image horizontally about its centre: x' = x + tan(angle) * y, with the angle uniform in
/// [MinDegrees, MaxDegrees].
/// </summary>
public sealed class Shear : AugmentationOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minDegrees">Smallest shear angle, in (-90, 90).</param>
    /// <param name="maxDegrees">Largest shear angle, in (-90, 90).</param>
    /// <param name="probability">Probability in [0, 1] that an image is sheared.</param>
    /// <param name="randomSign">When true, the drawn angle is negated with probability 1/2.</param>
    public Shear(double minDegrees = -10, double maxDegrees = 10, double probability = 0.5, bool randomSign = false)
        : base(probability)
    {
        Validate.Range(minDegrees, maxDegrees, nameof(minDegrees), nameof(maxDegrees), -90, 90, true, true);
        MinDegrees = minDegrees;
        MaxDegrees = maxDegrees;
        RandomSign = randomSign;
    }

    /// <summary>Smallest shear angle in degrees.</summary>
    public double MinDegrees { get; }

    /// <summary>Largest shear angle in degrees.</summary>
    public double MaxDegrees { get; }

    /// <summary>Whether the drawn angle's sign is randomised.</summary>
    public bool RandomSign { get; }

    /// <inheritdoc />
    public override string Name => "Shear";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
    {
        double degrees = random.Uniform(MinDegrees, MaxDegrees);
        if (RandomSign) degrees *= random.NextSign();
        plan.AppendInverse(1, -Math.Tan(degrees * Math.PI / 180), 0, 0, 1, 0);
    }
}
