using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Vision.Classification;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

[Collection(nameof(ImageClassifierCollection))]
public sealed class MixedImageFileTests
{
    private sealed class PathRow
    {
        public string Path { get; set; } = "";

        public string Label { get; set; } = "";
    }

    /// <summary>An RGB image of another size: the gray image scaled (nearest neighbour) to width x height and tinted.</summary>
    private static MLImage TintedRgb(byte[] gray, int width, int height)
    {
        var bgra = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                byte g = gray[y * 28 / height * 28 + x * 28 / width];
                int i = (y * width + x) * 4;
                bgra[i] = (byte)(g * 0.8);
                bgra[i + 1] = (byte)(g * 0.9);
                bgra[i + 2] = g;
                bgra[i + 3] = 255;
            }
        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, bgra);
    }

    /// <summary>The gray image as RGB with three equal channels.</summary>
    private static MLImage GrayAsRgb(byte[] gray)
    {
        var bgra = new byte[gray.Length * 4];
        for (int i = 0; i < gray.Length; i++)
        {
            bgra[i * 4] = bgra[i * 4 + 1] = bgra[i * 4 + 2] = gray[i];
            bgra[i * 4 + 3] = 255;
        }
        return MLImage.CreateFromPixels(28, 28, MLPixelFormat.Bgra32, bgra);
    }

    [Fact]
    public void Gray_and_rgb_files_of_different_sizes_train_together_and_gray_equals_its_rgb_copy()
    {
        var ml = new MLContext(9);
        var folder = Path.Combine(Path.GetTempPath(), $"ic-mixed-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var rows = new List<PathRow>();
            int i = 0;
            foreach (var (pixels, label) in FashionData.Rows(train: true, 30, 1, 8))
            {
                string name = $"{i:D3}.png";
                if (i++ % 2 == 0)
                    GrayPng.Write(Path.Combine(folder, name), pixels, 28, 28);
                else
                {
                    using var image = TintedRgb(pixels, 40, 36);
                    image.Save(Path.Combine(folder, name));
                }
                rows.Add(new PathRow { Path = name, Label = label });
            }
            // The same held-out image as an 8-bit gray file and as an RGB file with three equal channels.
            var (probe, probeLabel) = FashionData.Rows(train: false, 1, 8).First();
            GrayPng.Write(Path.Combine(folder, "probe-gray.png"), probe, 28, 28);
            using (var rgb = GrayAsRgb(probe))
                rgb.Save(Path.Combine(folder, "probe-rgb.png"));

            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.Transforms.LoadImages("Image", folder, "Path"))
                .Append(ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
                {
                    Strategy = TransferStrategy.Staged, Epochs = 3, ImageSize = 32, Seed = 9,
                }));
            var data = ml.Data.LoadFromEnumerable(rows);
            var model = pipeline.Fit(data);

            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
            Assert.True(metrics.MicroAccuracy > 0.8, $"training accuracy {metrics.MicroAccuracy:F3} on mixed gray/RGB files");
            var probes = ml.Data.LoadFromEnumerable(new[]
            {
                new PathRow { Path = "probe-gray.png", Label = probeLabel },
                new PathRow { Path = "probe-rgb.png", Label = probeLabel },
            });
            var scores = model.Transform(probes).GetColumn<float[]>("Score").ToArray();
            Assert.Equal(2, scores.Length);
            for (int k = 0; k < scores[0].Length; k++)
                Assert.Equal(scores[1][k], scores[0][k], 5);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
