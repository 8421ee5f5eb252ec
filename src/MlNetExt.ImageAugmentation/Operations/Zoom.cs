using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// Scales the picture about the image centre by a factor uniform in [MinFactor, MaxFactor], keeping the image size
/// (torchvision's <c>RandomAffine(scale=...)</c>): a factor above 1 zooms in (the borders are cut off), below 1 zooms
/// out (the picture shrinks and the uncovered border is black). Unlike <see cref="ScaleCrop"/>, it can zoom out, which
/// is how a subject farther from the camera looks.
/// </summary>
public sealed class Zoom : AugmentationOperation
{
    /// <summary>Creates the operation.</summary>
    /// <param name="minFactor">Smallest scale factor, in (0, 10]; below 1 zooms out.</param>
    /// <param name="maxFactor">Largest scale factor, in (0, 10]; above 1 zooms in.</param>
    /// <param name="probability">Probability in [0, 1] that an image is scaled.</param>
    public Zoom(double minFactor = 0.8, double maxFactor = 1.2, double probability = 0.5) : base(probability)
    {
        Validate.Range(minFactor, maxFactor, nameof(minFactor), nameof(maxFactor), 0, 10, loExclusive: true);
        MinFactor = minFactor;
        MaxFactor = maxFactor;
    }

    /// <summary>Smallest scale factor.</summary>
    public double MinFactor { get; }

    /// <summary>Largest scale factor.</summary>
    public double MaxFactor { get; }

    /// <inheritdoc />
    public override string Name => "Zoom";

    internal override void Sample(ref DeterministicRandom random, AugmentationPlan plan)
    {
        double factor = random.Uniform(MinFactor, MaxFactor);
        plan.AppendInverse(1 / factor, 0, 0, 0, 1 / factor, 0);
    }
}
