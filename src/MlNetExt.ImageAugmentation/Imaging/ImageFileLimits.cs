namespace MlNetExt.ImageAugmentation;

/// <summary>What <see cref="ImageFileCheck"/> (and <c>mlContext.Data.CheckImageFiles</c>) accept before an image file is decoded.</summary>
public sealed class ImageFileLimits
{
    /// <summary>
    /// Default <see cref="MaxPixels"/>: 200 megapixels, enough for the largest phone and medium-format camera photos
    /// (about 200 MP); decoding that many pixels already takes about 800 MB at 4 bytes per pixel. A 25,000 x 25,000
    /// "bomb" (625 MP, a 71-byte PNG) is refused.
    /// </summary>
    public const long DefaultMaxPixels = 200_000_000;

    /// <summary>Largest width x height (from the file's header) accepted; default <see cref="DefaultMaxPixels"/>.</summary>
    public long MaxPixels { get; set; } = DefaultMaxPixels;

    /// <summary>
    /// Refuse files whose structure ends early (default true): a PNG without IEND, a JPEG without an end-of-image
    /// marker after its scan, a GIF without its trailer, a BMP or WebP shorter than its header says. Decoders fill the
    /// missing part of such files with blank pixels without an error.
    /// </summary>
    public bool RejectTruncated { get; set; } = true;
}
