using System.Buffers;
using Microsoft.ML.Data;
using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation;

/// <summary>
/// Augments single <see cref="MLImage"/>s: the per-image engine behind <c>mlContext.Data.AugmentImages</c>.
/// One pass over the output pixels does the combined affine warp (bilinear, zeros outside), the combined
/// colour transform and the noise; cutout rectangles are filled afterwards. Thread-safe (no shared state).
/// </summary>
public static class ImageAugmenter
{
    /// <summary>
    /// Returns a new augmented image (same size and pixel format, alpha set to opaque); the input is not
    /// changed. The same image, policy and seed always give the same pixels.
    /// </summary>
    /// <param name="image">A BGRA32 or RGBA32 image.</param>
    /// <param name="policy">The policy to draw operations from.</param>
    /// <param name="seed">The seed of every random draw for this image.</param>
    public static MLImage Augment(MLImage image, AugmentationPolicy policy, long seed)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(policy);
        if (image.Width <= 0 || image.Height <= 0)
            throw new ArgumentException($"The image has zero size ({image.Width}x{image.Height}).", nameof(image));
        var plan = policy.Sample(DeterministicRandom.Mix((ulong)seed, 0x1A6E), image.Width, image.Height);
        return Execute(image, plan);
    }

    /// <summary>Applies a drawn plan to an image.</summary>
    internal static MLImage Execute(MLImage image, AugmentationPlan plan)
    {
        var format = image.PixelFormat;
        if (format != MLPixelFormat.Bgra32 && format != MLPixelFormat.Rgba32)
            throw new NotSupportedException($"Pixel format {format} is not supported; expected Bgra32 or Rgba32.");
        int w = image.Width, h = image.Height, bytes = w * h * 4;
        var source = image.Pixels;
        if (plan.IsIdentity) return MLImage.CreateFromPixels(w, h, format, source[..bytes]);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            PixelKernel.Run(source[..bytes], buffer.AsSpan(0, bytes), w, h, format == MLPixelFormat.Bgra32, plan);
            return MLImage.CreateFromPixels(w, h, format, buffer.AsSpan(0, bytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
