using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Base of the noise operations: each image's noise has a standard deviation (in units of the full range, 1 = 255)
/// drawn uniformly in [MinStd, MaxStd].
/// </summary>
public abstract class NoiseOperation : AugmentationOperation
{
    private protected NoiseOperation(double minStd, double maxStd, double probability) : base(probability)
    {
        Validate.Range(minStd, maxStd, nameof(minStd), nameof(maxStd), 0, 1);
        MinStd = minStd;
        MaxStd = maxStd;
    }

    /// <summary>Smallest standard deviation.</summary>
    public double MinStd { get; }

    /// <summary>Largest standard deviation.</summary>
    public double MaxStd { get; }

    private protected double DrawStd(ref DeterministicRandom random) => random.Uniform(MinStd, MaxStd);
}
