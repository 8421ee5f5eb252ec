using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>Mirrors the image top-bottom.</summary>
public sealed class VerticalFlip : AugmentationOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="probability">Probability in [0, 1] that an image is flipped.</param>
    public VerticalFlip(double probability = 0.5) : base(probability) { }

    /// <inheritdoc />
    public override string Name => "VerticalFlip";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan) =>
        plan.AppendInverse(1, 0, 0, 0, -1, 0);
}
