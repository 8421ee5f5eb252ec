using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Scales every pixel's distance from its own gray value (BT.601 luma) by a factor uniform in
/// [MinFactor, MaxFactor] (0 = grayscale, 1 = unchanged). No effect on gray images.
/// </summary>
public sealed class Saturation : FactorOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minFactor">Smallest factor, in [0, 10].</param>
    /// <param name="maxFactor">Largest factor, in [0, 10].</param>
    /// <param name="probability">Probability in [0, 1] that the operation applies.</param>
    /// <param name="randomSign">When true, f becomes 2 - f with probability 1/2.</param>
    public Saturation(double minFactor = 0.8, double maxFactor = 1.2, double probability = 0.5, bool randomSign = false)
        : base(minFactor, maxFactor, probability, randomSign) { }

    /// <inheritdoc />
    public override string Name => "Saturation";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan) =>
        plan.Saturation *= DrawFactor(ref random);
}
