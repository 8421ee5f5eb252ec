using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Random resized crop: cuts a region covering a random fraction of the image's area (uniform in
/// [MinScale, MaxScale]) with a random aspect ratio (log-uniform in [MinAspectRatio, MaxAspectRatio]) at a
/// random position, and stretches it back to the full image size. A region that would not fit is clamped
/// to the image's width or height.
/// </summary>
public sealed class ScaleCrop : AugmentationOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minScale">Smallest area fraction, in (0, 1].</param>
    /// <param name="maxScale">Largest area fraction, in (0, 1].</param>
    /// <param name="minAspectRatio">Smallest width/height ratio of the region, &gt; 0.</param>
    /// <param name="maxAspectRatio">Largest width/height ratio of the region, &gt; 0.</param>
    /// <param name="probability">Probability in [0, 1] that an image is cropped.</param>
    public ScaleCrop(double minScale = 0.5, double maxScale = 1.0, double minAspectRatio = 3.0 / 4,
        double maxAspectRatio = 4.0 / 3, double probability = 0.5) : base(probability)
    {
        Validate.Range(minScale, maxScale, nameof(minScale), nameof(maxScale), 0, 1, loExclusive: true);
        Validate.Range(minAspectRatio, maxAspectRatio, nameof(minAspectRatio), nameof(maxAspectRatio), 0, 100, loExclusive: true);
        MinScale = minScale;
        MaxScale = maxScale;
        MinAspectRatio = minAspectRatio;
        MaxAspectRatio = maxAspectRatio;
    }

    /// <summary>Smallest area fraction.</summary>
    public double MinScale { get; }

    /// <summary>Largest area fraction.</summary>
    public double MaxScale { get; }

    /// <summary>Smallest width/height ratio.</summary>
    public double MinAspectRatio { get; }

    /// <summary>Largest width/height ratio.</summary>
    public double MaxAspectRatio { get; }

    /// <inheritdoc />
    public override string Name => "ScaleCrop";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
    {
        double w = plan.Width, h = plan.Height;
        var (width, height) = random.RectangleSize(w, h, MinScale, MaxScale, MinAspectRatio, MaxAspectRatio);
        double cw = Math.Min(w, width);
        double ch = Math.Min(h, height);
        double cx = random.Uniform(-(w - cw) / 2, (w - cw) / 2);
        double cy = random.Uniform(-(h - ch) / 2, (h - ch) / 2);
        plan.AppendInverse(cw / w, 0, cx, 0, ch / h, cy);
    }
}
