using Microsoft.ML.Data;

namespace MlNetExt.Cli.Tests;

/// <summary>Small generated PNG images with a known signal.</summary>
public static class ImageFiles
{
    /// <summary>A folder with sub-folders "horizontal" and "vertical": 32x32 grey stripes (random phase and noise) along each axis.</summary>
    public static void Stripes(string folder, int perClass, int seed)
    {
        var random = new Random(seed);
        foreach (var label in new[] { "horizontal", "vertical" })
        {
            Directory.CreateDirectory(Path.Combine(folder, label));
            for (int i = 0; i < perClass; i++)
            {
                int phase = random.Next(8);
                var pixels = new byte[32 * 32 * 4];
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                    {
                        bool bright = ((label == "horizontal" ? y : x) + phase) / 4 % 2 == 1;
                        byte value = (byte)Math.Clamp((bright ? 200 : 50) + random.Next(-30, 31), 0, 255);
                        int at = (y * 32 + x) * 4;
                        pixels[at] = pixels[at + 1] = pixels[at + 2] = value;
                        pixels[at + 3] = 255;
                    }
                using var image = MLImage.CreateFromPixels(32, 32, MLPixelFormat.Bgra32, pixels);
                image.Save(Path.Combine(folder, label, $"{label}_{i:D2}.png"));
            }
        }
    }
}

/// <summary>Identity folders for embeddings: h4, v4, h8, v8 (horizontal or vertical stripes of period 4 or 8), 32x32 grey.</summary>
public static class IdentityFiles
{
    public static void Write(string folder, int perIdentity, int seed)
    {
        var random = new Random(seed);
        foreach (var (name, horizontal, period) in new[] { ("h4", true, 4), ("v4", false, 4), ("h8", true, 8), ("v8", false, 8) })
        {
            Directory.CreateDirectory(Path.Combine(folder, name));
            for (int i = 0; i < perIdentity; i++)
            {
                int phase = random.Next(2 * period);
                var pixels = new byte[32 * 32 * 4];
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                    {
                        bool bright = ((horizontal ? y : x) + phase) / period % 2 == 1;
                        byte value = (byte)Math.Clamp((bright ? 200 : 50) + random.Next(-30, 31), 0, 255);
                        int at = (y * 32 + x) * 4;
                        pixels[at] = pixels[at + 1] = pixels[at + 2] = value;
                        pixels[at + 3] = 255;
                    }
                using var image = MLImage.CreateFromPixels(32, 32, MLPixelFormat.Bgra32, pixels);
                image.Save(Path.Combine(folder, name, $"{name}_{i:D2}.png"));
            }
        }
    }
}
