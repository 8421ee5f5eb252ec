using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.ImageAugmentation;
using MlNetExt.Samples.Data;
using MlNetExt.Vision.Classification;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

[Collection(nameof(ImageClassifierCollection))]
public sealed class ImageFileInputTests
{
    private sealed class PathRow
    {
        public string Path { get; set; } = "";

        public string Label { get; set; } = "";
    }

    private static string WritePngs(string folder, int perClass, params int[] classes)
    {
        Directory.CreateDirectory(folder);
        int i = 0;
        foreach (var (pixels, label) in FashionData.Rows(train: true, perClass, classes))
        {
            using var image = FashionMnistSubset.ToMLImage(pixels);
            image.Save(Path.Combine(folder, $"{i++:D3}_{label.Replace('/', '-')}.png"));
        }
        return folder;
    }

    private static IDataView Paths(MLContext ml, string folder, params string[] extra)
    {
        var rows = Directory.GetFiles(folder).Select(f => new PathRow { Path = Path.GetFileName(f), Label = Path.GetFileNameWithoutExtension(f)[4..] })
            .Concat(extra.Select(e => new PathRow { Path = e, Label = "Trouser" })).ToList();
        return ml.Data.LoadFromEnumerable(rows);
    }

    [Fact]
    public void Image_files_with_augmentation_train_through_LoadImages()
    {
        var ml = new MLContext(6);
        var folder = WritePngs(Path.Combine(Path.GetTempPath(), $"ic-{Guid.NewGuid():N}"), 25, 1, 8);
        try
        {
            var data = Paths(ml, folder);
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.Transforms.LoadImages("Image", folder, "Path"))
                .Append(ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
                {
                    Strategy = TransferStrategy.Staged, Epochs = 3, ImageSize = 32, BatchSize = 16, Seed = 6,
                    Augmentation = AugmentationPolicy.Light, ValidationFraction = 0.2f,
                }))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel"));
            var model = pipeline.Fit(data);
            Assert.All(model.Transform(data).GetColumn<string>("PredictedText"), p => Assert.Contains(p, new[] { "Trouser", "Bag" }));
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
            Assert.True(metrics.MicroAccuracy > 0.8, $"training accuracy {metrics.MicroAccuracy:F3}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("missing.png", null)]
    [InlineData("corrupt.png", new byte[] { 1, 2, 3, 4, 5 })]
    [InlineData("empty.png", new byte[0])]
    public void A_missing_corrupt_or_empty_image_file_at_training_names_the_image_column_and_the_file(string file, byte[]? contents)
    {
        var ml = new MLContext(6);
        var folder = WritePngs(Path.Combine(Path.GetTempPath(), $"ic-{Guid.NewGuid():N}"), 3, 1, 8);
        try
        {
            var data = Paths(ml, folder, file);
            if (contents is not null)
                File.WriteAllBytes(Path.Combine(folder, file), contents);
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.Transforms.LoadImages("Image", folder, "Path"))
                .Append(ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions { Epochs = 1, ImageSize = 32, Seed = 6 }));
            var e = Assert.Throws<InvalidDataException>(() => pipeline.Fit(data));
            Assert.Contains("'Image'", e.Message);
            Assert.Contains($"Path = '{file}'", e.Message);
            Assert.Contains("row 6", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("corrupt.png", new byte[] { 1, 2, 3, 4, 5 })]
    [InlineData("empty.png", new byte[0])]
    public void A_corrupt_image_file_at_scoring_names_the_image_column_and_the_file(string file, byte[] contents)
    {
        var ml = new MLContext(6);
        var folder = WritePngs(Path.Combine(Path.GetTempPath(), $"ic-{Guid.NewGuid():N}"), 4, 1, 8);
        try
        {
            var toKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(Paths(ml, folder));
            var load = ml.Transforms.LoadImages("Image", folder, "Path");
            var train = load.Fit(toKey.Transform(Paths(ml, folder))).Transform(toKey.Transform(Paths(ml, folder)));
            var model = ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
            {
                Strategy = TransferStrategy.Frozen, Epochs = 1, ImageSize = 32, Seed = 6,
            }).Fit(train);
            File.WriteAllBytes(Path.Combine(folder, file), contents);
            var test = load.Fit(toKey.Transform(Paths(ml, folder))).Transform(toKey.Transform(Paths(ml, folder)));

            var e = Assert.Throws<InvalidDataException>(() => ml.MulticlassClassification.Evaluate(model.Transform(test)));

            Assert.Contains("'Image'", e.Message);
            Assert.Contains($"Path = '{file}'", e.Message);
            Assert.Contains("scoring", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_wrong_image_column_name_lists_the_columns_and_names_the_option()
    {
        var ml = new MLContext(6);
        var folder = WritePngs(Path.Combine(Path.GetTempPath(), $"ic-{Guid.NewGuid():N}"), 2, 1, 8);
        try
        {
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.Transforms.LoadImages("Picture", folder, "Path"))
                .Append(ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions { Epochs = 1, ImageSize = 32, Seed = 6 }));

            var e = Assert.Throws<ArgumentException>(() => pipeline.Fit(Paths(ml, folder)));

            Assert.Contains("'Image'", e.Message);
            Assert.Contains("FeatureColumnName", e.Message);
            Assert.Contains("'Picture'", e.Message);
            Assert.Contains("'Path'", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
