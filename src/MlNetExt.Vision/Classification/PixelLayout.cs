namespace MlNetExt.Vision.Classification;

/// <summary>Shape of the raw pixel vector the exported network reads: planar <c>C x H x W</c>, values in [0, 255].</summary>
/// <param name="Channels">1 (gray) or 3 (RGB).</param>
/// <param name="Height">Image height.</param>
/// <param name="Width">Image width.</param>
internal sealed record PixelLayout(int Channels, int Height, int Width)
{
    /// <summary>Length of the pixel vector.</summary>
    public int Length => Channels * Height * Width;

    /// <summary>Infers a square layout from a vector length, or uses the given sizes; null when nothing fits.</summary>
    public static PixelLayout? Infer(int length, int? channels, int? height, int? width)
    {
        if (channels is not null && height is not null && width is not null)
            return channels * height * width == length ? new PixelLayout(channels.Value, height.Value, width.Value) : null;
        foreach (int c in channels is null ? new[] { 3, 1 } : new[] { channels.Value })
        {
            if (length % c != 0)
                continue;
            int area = length / c;
            if (height is not null)
                return area % height.Value == 0 ? new PixelLayout(c, height.Value, area / height.Value) : null;
            if (width is not null)
                return area % width.Value == 0 ? new PixelLayout(c, area / width.Value, width.Value) : null;
            int side = (int)Math.Round(Math.Sqrt(area));
            if (side * side == area)
                return new PixelLayout(c, side, side);
        }
        return null;
    }
}
