using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Base of the operations driven by an angle in degrees drawn uniformly in [MinDegrees, MaxDegrees]
/// (rotation, shear, hue shift), optionally with a random sign.
/// </summary>
public abstract class AngleOperation : AugmentationOperation
{
    private protected AngleOperation(double minDegrees, double maxDegrees, double probability, bool randomSign,
        double limitDegrees, bool limitExclusive)
        : base(probability)
    {
        Validate.Range(minDegrees, maxDegrees, nameof(minDegrees), nameof(maxDegrees), -limitDegrees, limitDegrees,
            limitExclusive, limitExclusive);
        MinDegrees = minDegrees;
        MaxDegrees = maxDegrees;
        RandomSign = randomSign;
    }

    /// <summary>Smallest angle in degrees.</summary>
    public double MinDegrees { get; }

    /// <summary>Largest angle in degrees.</summary>
    public double MaxDegrees { get; }

    /// <summary>Whether the drawn angle is negated with probability 1/2 (with a non-negative range: "a fixed
    /// magnitude in either direction").</summary>
    public bool RandomSign { get; }

    /// <summary>Draws this image's angle, in radians.</summary>
    private protected double DrawRadians(ref DeterministicRandom random)
    {
        double degrees = random.Uniform(MinDegrees, MaxDegrees);
        if (RandomSign) degrees *= random.NextSign();
        return degrees * Math.PI / 180;
    }
}
