namespace MlNetExt.ImageAugmentation;

/// <summary>What an image file's header says, read without decoding any pixel.</summary>
/// <param name="Format">"PNG", "JPEG", "BMP", "GIF" or "WebP".</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public sealed record ImageFileInfo(string Format, int Width, int Height)
{
    /// <summary>Width x height.</summary>
    public long Pixels => (long)Width * Height;
}
