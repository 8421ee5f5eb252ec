using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>Mirrors the image left-right.</summary>
public sealed class HorizontalFlip : AugmentationOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="probability">Probability in [0, 1] that an image is flipped.</param>
    public HorizontalFlip(double probability = 0.5) : base(probability) { }

    /// <inheritdoc />
    public override string Name => "HorizontalFlip";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan) =>
        plan.AppendInverse(-1, 0, 0, 0, 1, 0);
}
