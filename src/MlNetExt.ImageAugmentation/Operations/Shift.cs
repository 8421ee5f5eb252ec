using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Translates the image by a random offset, uniform in [-MaxFractionX, MaxFractionX] of the width and
/// [-MaxFractionY, MaxFractionY] of the height (sub-pixel, bilinear). Uncovered areas become black.
/// </summary>
public sealed class Shift : AugmentationOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="maxFractionX">Largest horizontal shift as a fraction of the width, in [0, 1).</param>
    /// <param name="maxFractionY">Largest vertical shift as a fraction of the height, in [0, 1).</param>
    /// <param name="probability">Probability in [0, 1] that an image is shifted.</param>
    public Shift(double maxFractionX = 0.1, double maxFractionY = 0.1, double probability = 0.5) : base(probability)
    {
        Validate.Range(0, maxFractionX, nameof(maxFractionX), nameof(maxFractionX), 0, 1, hiExclusive: true);
        Validate.Range(0, maxFractionY, nameof(maxFractionY), nameof(maxFractionY), 0, 1, hiExclusive: true);
        MaxFractionX = maxFractionX;
        MaxFractionY = maxFractionY;
    }

    /// <summary>Largest horizontal shift as a fraction of the width.</summary>
    public double MaxFractionX { get; }

    /// <summary>Largest vertical shift as a fraction of the height.</summary>
    public double MaxFractionY { get; }

    /// <inheritdoc />
    public override string Name => "Shift";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
    {
        double dx = random.Uniform(-MaxFractionX, MaxFractionX) * plan.Width;
        double dy = random.Uniform(-MaxFractionY, MaxFractionY) * plan.Height;
        plan.AppendInverse(1, 0, -dx, 0, 1, -dy);
    }
}
