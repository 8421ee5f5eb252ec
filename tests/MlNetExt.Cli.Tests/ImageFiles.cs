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
