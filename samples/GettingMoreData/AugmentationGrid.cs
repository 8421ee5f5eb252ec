using Microsoft.ML.Data;
using MlNetExt.ImageAugmentation;
using MlNetExt.Samples.Data;

/// <summary>Draws one row per policy: an image, then augmented versions of it, enlarged 4x, as a PNG.</summary>
internal static class AugmentationGrid
{
    private const int Scale = 4, Gap = 6, Columns = 8, ImagesPerRowBlock = 2;

    public static void Write(FashionMnistSubset data, string path, IReadOnlyList<AugmentationPolicy> policies)
    {
        // two example images (a sneaker and a shirt-like top) side by side in each row
        int[] examples = { FirstOf(data, 7), FirstOf(data, 0) };
        int cell = FashionMnistSubset.ImageSize * Scale + Gap;
        int width = ImagesPerRowBlock * Columns * cell + Gap * 3, height = policies.Count * cell + Gap;
        var canvas = new byte[width * height * 4];
        for (int i = 0; i < canvas.Length; i++) canvas[i] = i % 4 == 3 ? (byte)255 : (byte)70;

        for (int row = 0; row < policies.Count; row++)
        {
            for (int e = 0; e < examples.Length; e++)
            {
                using var original = data.ToMLImage(examples[e]);
                for (int col = 0; col < Columns; col++)
                {
                    using var image = col == 0 ? data.ToMLImage(examples[e]) : ImageAugmenter.Augment(original, policies[row], row * 100 + col);
                    int x0 = Gap + e * (Columns * cell + Gap * 2) + col * cell, y0 = Gap + row * cell;
                    Blit(image, canvas, width, x0, y0);
                }
            }
        }
        string temp = path + ".tmp.png";
        using (var grid = MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, canvas)) grid.Save(temp);
        File.Move(temp, path, overwrite: true);
    }

    private static int FirstOf(FashionMnistSubset data, int label)
    {
        for (int i = 0; i < data.Count; i++) if (data.Labels[i] == label) return i;
        return 0;
    }

    private static void Blit(MLImage image, byte[] canvas, int canvasWidth, int x0, int y0)
    {
        var pixels = image.Pixels;
        int w = image.Width;
        for (int y = 0; y < image.Height * Scale; y++)
            for (int x = 0; x < w * Scale; x++)
            {
                int s = ((y / Scale) * w + x / Scale) * 4, d = ((y0 + y) * canvasWidth + x0 + x) * 4;
                canvas[d] = pixels[s]; canvas[d + 1] = pixels[s + 1]; canvas[d + 2] = pixels[s + 2]; canvas[d + 3] = 255;
            }
    }
}
