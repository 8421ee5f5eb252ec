using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Scales every value's distance from the image's mean luma (BT.601, measured on the input image) by a
/// factor uniform in [MinFactor, MaxFactor] (0 = flat gray, 1 = unchanged).
/// </summary>
public sealed class Contrast : FactorOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minFactor">Smallest factor, in [0, 10].</param>
    /// <param name="maxFactor">Largest factor, in [0, 10].</param>
    /// <param name="probability">Probability in [0, 1] that the operation applies.</param>
    /// <param name="randomSign">When true, f becomes 2 - f with probability 1/2.</param>
    public Contrast(double minFactor = 0.8, double maxFactor = 1.2, double probability = 0.5, bool randomSign = false)
        : base(minFactor, maxFactor, probability, randomSign) { }

    /// <inheritdoc />
    public override string Name => "Contrast";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan) =>
        plan.Contrast *= DrawFactor(ref random);
}
