using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Vision.Catalog;
using MlNetExt.Vision.Classification;
using MlNetExt.Vision.Weights;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

[Collection(nameof(ImageClassifierCollection))]
public sealed class ImageClassifierModelTests
{
    private static readonly int[] Classes = [1, 5, 8];

    private static (IDataView Train, IDataView Test) PixelData(MLContext ml, int perClass = 30)
    {
        var train = FashionData.Pixels(ml, train: true, perClass, Classes);
        var key = FashionData.LabelToKey(ml, train);
        return (key.Transform(train), key.Transform(FashionData.Pixels(ml, train: false, 20, Classes)));
    }

    private static ImageClassifierOptions Options(TransferStrategy strategy, int epochs = 3, int? headEpochs = null) => new()
    {
        FeatureColumnName = "Pixels",
        Strategy = strategy,
        Epochs = epochs,
        HeadEpochs = headEpochs,
        ImageSize = 32,
        BatchSize = 16,
        Seed = 2,
    };

    private static float[] ShippedWeight(string name)
    {
        using var weights = WeightFile.Read(Path.Combine(AppContext.BaseDirectory, "models", PretrainedCatalog.MobileNetV2ImageNetBlock10.FileName));
        return weights[name].data<float>().ToArray();
    }

    private static float[] ExportedWeight(ImageClassifierModel model, string name)
    {
        using var weights = OnnxInitializerReader.Load(model.GetOnnxModel("pipeline"));
        return weights["net.backbone." + name].data<float>().ToArray();
    }

    [Theory]
    [InlineData(TransferStrategy.Frozen, 2, null, false)]
    [InlineData(TransferStrategy.Staged, 2, 2, false)]
    [InlineData(TransferStrategy.Staged, 3, 2, true)]
    [InlineData(TransferStrategy.FineTune, 1, null, true)]
    public void Backbone_weights_change_only_when_the_strategy_trains_them(TransferStrategy strategy, int epochs, int? headEpochs, bool changes)
    {
        var ml = new MLContext(2);
        var (train, _) = PixelData(ml, perClass: 10);
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(Options(strategy, epochs, headEpochs)).Fit(train);

        const string name = "features.3.conv.0.0.weight";
        var shipped = ShippedWeight(name);
        var exported = ExportedWeight(model, name);
        double maxDifference = shipped.Zip(exported).Max(p => Math.Abs(p.First - p.Second));
        if (changes)
            Assert.True(maxDifference > 1e-6, $"{strategy}: backbone unchanged (max difference {maxDifference})");
        else
            Assert.Equal(0.0, maxDifference);
        Assert.Equal(epochs, model.History.Count);
    }

    [Fact]
    public void Raw_gray_pixels_train_and_save_load_scores_identically()
    {
        var ml = new MLContext(2);
        var (train, test) = PixelData(ml);
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(Options(TransferStrategy.Frozen, epochs: 12)).Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.True(metrics.MicroAccuracy > 0.75, $"accuracy {metrics.MicroAccuracy:F3}");

        var path = Path.Combine(Path.GetTempPath(), $"image-classifier-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, path);
            var loaded = ml.Model.Load(path, out _);
            var before = model.Transform(test).GetColumn<float[]>("Score").ToArray();
            var after = loaded.Transform(test).GetColumn<float[]>("Score").ToArray();
            Assert.Equal(before.Length, after.Length);
            for (int i = 0; i < before.Length; i++)
                Assert.Equal(before[i], after[i]);
            Assert.Equal(model.Transform(test).GetColumn<uint>("PredictedLabel"), loaded.Transform(test).GetColumn<uint>("PredictedLabel"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Non_key_label_is_rejected_naming_the_column()
    {
        var ml = new MLContext(2);
        var train = FashionData.Pixels(ml, train: true, 5, Classes);
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.ImageClassifier(Options(TransferStrategy.Frozen)).Fit(train));
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("key", e.Message);
    }

    [Fact]
    public void Missing_image_column_is_rejected_naming_the_column()
    {
        var ml = new MLContext(2);
        var (train, _) = PixelData(ml, perClass: 5);
        var options = Options(TransferStrategy.Frozen);
        options.FeatureColumnName = "Image";
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.ImageClassifier(options).Fit(train));
        Assert.Contains("'Image'", e.Message);
    }

    [Fact]
    public void A_single_class_is_rejected()
    {
        var ml = new MLContext(2);
        var train = FashionData.Pixels(ml, train: true, 10, 1);
        train = FashionData.LabelToKey(ml, train).Transform(train);
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.ImageClassifier(Options(TransferStrategy.Frozen)).Fit(train));
        Assert.Contains("at least two", e.Message);
    }

    [Fact]
    public void Staged_training_reports_both_stages_with_validation_loss_and_accuracy()
    {
        var ml = new MLContext(2);
        var (train, _) = PixelData(ml, perClass: 20);
        var reports = new List<MlNetExt.Core.Training.TrainingProgress>();
        var options = Options(TransferStrategy.Staged, epochs: 4, headEpochs: 2);
        options.ValidationFraction = 0.25f;
        options.Progress = reports.Add;
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(options).Fit(train);

        Assert.Equal(new[] { "head", "head", "fine-tune", "fine-tune" }, reports.Select(r => r.Stage).ToArray());
        Assert.All(reports, r => Assert.NotNull(r.ValidationLoss));
        Assert.All(reports, r => Assert.InRange(r.Metrics["accuracy"], 0.0, 1.0));
        Assert.Equal(reports.Count, model.History.Count);
    }
}
