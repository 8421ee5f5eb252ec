using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>
/// One augmentation operation of an <see cref="AugmentationPolicy"/>: applied to an image with
/// <see cref="Probability"/>, at a magnitude drawn from the operation's range. Operations are immutable.
/// </summary>
/// <remarks>
/// Geometric operations (flips, shift, scale-and-crop, rotation, shear) are composed, in policy order, into
/// one affine warp with bilinear sampling; areas that come from outside the image are black (zero).
/// Photometric operations are combined into one colour transform applied after the warp, in the fixed order
/// brightness, contrast, saturation, hue, colour noise, Gaussian noise, cutout; values are clamped to the
/// valid range once, at the end.
/// </remarks>
public abstract class AugmentationOperation
{
    /// <summary>Creates the operation; validates <paramref name="probability"/>.</summary>
    private protected AugmentationOperation(double probability)
    {
        Validate.Probability(probability, nameof(probability));
        Probability = probability;
    }

    /// <summary>The probability in [0, 1] that the operation is applied to an image.</summary>
    public double Probability { get; }

    /// <summary>A short name for logs and reports, e.g. "Rotate".</summary>
    public abstract string Name { get; }

    /// <summary>Draws this operation's magnitude and adds its effect to the plan (called only when it applies).</summary>
    internal abstract void Sample(ref DeterministicRandom random, AugmentationPlan plan);

    /// <inheritdoc />
    public override string ToString() => $"{Name}(p={Probability:0.###})";
}
