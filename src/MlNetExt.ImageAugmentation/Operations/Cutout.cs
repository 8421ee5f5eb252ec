using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Cutout / random erasing: fills a rectangle covering a fraction of the image's area (uniform in
/// [MinArea, MaxArea]) with aspect ratio log-uniform in [MinAspectRatio, MaxAspectRatio], at a random
/// position, with the gray value <see cref="Fill"/> (0 = black, 1 = white). Applied last.
/// </summary>
public sealed class Cutout : AugmentationOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minArea">Smallest area fraction, in (0, 1].</param>
    /// <param name="maxArea">Largest area fraction, in (0, 1].</param>
    /// <param name="minAspectRatio">Smallest width/height ratio, &gt; 0.</param>
    /// <param name="maxAspectRatio">Largest width/height ratio, &gt; 0.</param>
    /// <param name="fill">Fill value in [0, 1] for all channels.</param>
    /// <param name="probability">Probability in [0, 1] that the operation applies.</param>
    public Cutout(double minArea = 0.02, double maxArea = 0.15, double minAspectRatio = 0.3,
        double maxAspectRatio = 3.3, double fill = 0, double probability = 0.5) : base(probability)
    {
        Validate.Range(minArea, maxArea, nameof(minArea), nameof(maxArea), 0, 1, loExclusive: true);
        Validate.Range(minAspectRatio, maxAspectRatio, nameof(minAspectRatio), nameof(maxAspectRatio), 0, 100, loExclusive: true);
        Validate.Range(fill, fill, nameof(fill), nameof(fill), 0, 1);
        MinArea = minArea;
        MaxArea = maxArea;
        MinAspectRatio = minAspectRatio;
        MaxAspectRatio = maxAspectRatio;
        Fill = fill;
    }

    /// <summary>Smallest area fraction.</summary>
    public double MinArea { get; }

    /// <summary>Largest area fraction.</summary>
    public double MaxArea { get; }

    /// <summary>Smallest width/height ratio.</summary>
    public double MinAspectRatio { get; }

    /// <summary>Largest width/height ratio.</summary>
    public double MaxAspectRatio { get; }

    /// <summary>Fill value in [0, 1].</summary>
    public double Fill { get; }

    /// <inheritdoc />
    public override string Name => "Cutout";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
    {
        int w = plan.Width, h = plan.Height;
        var (width, height) = random.RectangleSize(w, h, MinArea, MaxArea, MinAspectRatio, MaxAspectRatio);
        int cw = Math.Clamp((int)Math.Round(width), 1, w);
        int ch = Math.Clamp((int)Math.Round(height), 1, h);
        int x0 = random.NextInt(w - cw + 1);
        int y0 = random.NextInt(h - ch + 1);
        plan.Cutouts.Add(new CutoutRectangle(x0, y0, x0 + cw, y0 + ch, Fill));
    }
}
