using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Additive brightness: adds one offset, uniform in [MinOffset, MaxOffset] (in units of the full range, 1 = 255), to
/// every pixel and channel, so black areas lighten or dark areas get darker as under a change of exposure or ambient
/// light. <see cref="Brightness"/> multiplies instead and leaves black black. Applied after the multiplicative colour
/// operations; values are clamped to the valid range at the end.
/// </summary>
public sealed class BrightnessShift : AugmentationOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minOffset">Smallest offset, in [-1, 1].</param>
    /// <param name="maxOffset">Largest offset, in [-1, 1].</param>
    /// <param name="probability">Probability in [0, 1] that the operation applies.</param>
    public BrightnessShift(double minOffset = -0.1, double maxOffset = 0.1, double probability = 0.5) : base(probability)
    {
        Validate.Range(minOffset, maxOffset, nameof(minOffset), nameof(maxOffset), -1, 1);
        MinOffset = minOffset;
        MaxOffset = maxOffset;
    }

    /// <summary>Smallest offset.</summary>
    public double MinOffset { get; }

    /// <summary>Largest offset.</summary>
    public double MaxOffset { get; }

    /// <inheritdoc />
    public override string Name => "BrightnessShift";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
    {
        double offset = random.Uniform(MinOffset, MaxOffset);
        for (int c = 0; c < 3; c++) plan.ColorOffset[c] += offset;
    }
}
