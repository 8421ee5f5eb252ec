using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Base of the photometric operations driven by a multiplicative factor drawn uniformly in
/// [MinFactor, MaxFactor] (1 = unchanged), like torchvision's ColorJitter.
/// </summary>
public abstract class FactorOperation : AugmentationOperation
{
    private protected FactorOperation(double minFactor, double maxFactor, double probability, bool randomSign)
        : base(probability)
    {
        Validate.Range(minFactor, maxFactor, nameof(minFactor), nameof(maxFactor), 0, 10);
        MinFactor = minFactor;
        MaxFactor = maxFactor;
        RandomSign = randomSign;
    }

    /// <summary>Smallest factor (&gt;= 0).</summary>
    public double MinFactor { get; }

    /// <summary>Largest factor (&lt;= 10).</summary>
    public double MaxFactor { get; }

    /// <summary>When true, the drawn factor's distance from 1 changes direction with probability 1/2
    /// (factor f becomes 2 - f, floored at 0).</summary>
    public bool RandomSign { get; }

    private protected double DrawFactor(ref DeterministicRandom random)
    {
        double f = random.Uniform(MinFactor, MaxFactor);
        if (RandomSign && random.NextSign() < 0) f = Math.Max(0, 2 - f);
        return f;
    }
}
