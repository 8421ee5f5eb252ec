using Microsoft.ML;
using MlNetExt.Samples.Data;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

/// <summary>
/// The defaults work for every kind of backbone on a ten-images-per-class transfer task (the task of the
/// <c>classifier-sweep</c> benchmark, which found the tuned settings used here): a small CNN pretrained with the
/// ImageClassifier on five Fashion-MNIST classes, the task the five others with 10 training images each and 100 held-out
/// images each. For each strategy, the defaults must come within <see cref="Margin"/> of the best settings the sweep
/// found, both scored on the same draws.
/// </summary>
[Collection(nameof(ImageClassifierCollection))]
[Trait("Category", "Slow")]
public sealed class ClassifierDefaultsTests
{
    private static readonly int[] PretrainClasses = [0, 2, 4, 5, 8];
    private static readonly int[] TaskClasses = [1, 3, 6, 7, 9];
    private const int Draws = 2;

    /// <summary>The bar is 0.03 on the sweep's three draws; two draws here add about 0.01 of noise.</summary>
    private const double Margin = 0.04;

    private static readonly Lazy<ImageClassifierModel> Pretrained = new(Pretrain);

    private static SmallCnnOptions Network() => new() { Channels = [16, 32, 64] };

    private static ImageClassifierModel Pretrain()
    {
        var ml = new MLContext(1);
        var data = Pixels(ml, train: true, skip: 0, 200, PretrainClasses);
        data = FashionData.LabelToKey(ml, data).Transform(data);
        return ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", Backbone = ImageBackbone.FromScratch("small_cnn", Network()), Strategy = TransferStrategy.FineTune,
            BackboneLearningRateMultiplier = 1f, Epochs = 8, ImageSize = 32, BatchSize = 32, LearningRate = 1e-3f, Dropout = 0f, Seed = 1,
        }).Train(data);
    }

    private static IDataView Pixels(MLContext ml, bool train, int skip, int count, int[] classes)
    {
        var rows = FashionData.Rows(train, skip + count, classes)
            .GroupBy(r => r.Label).SelectMany(g => g.Skip(skip))
            .Select(r => new FashionData.PixelRow { Pixels = r.Pixels.Select(b => (float)b).ToArray(), Label = r.Label }).ToList();
        return ml.Data.LoadFromEnumerable(rows);
    }

    private static double HeldOutAccuracy(string strategy, int draw, Action<ImageClassifierOptions>? tune)
    {
        var ml = new MLContext(draw);
        var train = Pixels(ml, train: true, skip: (draw - 1) * 10, 10, TaskClasses);
        var key = FashionData.LabelToKey(ml, train);
        var options = new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", ImageSize = 32, Seed = draw,
            Strategy = strategy switch { "frozen" => TransferStrategy.Frozen, "staged" => TransferStrategy.Staged, _ => TransferStrategy.FineTune },
            Backbone = strategy == "scratch" ? ImageBackbone.FromScratch("small_cnn", Network()) : ImageBackbone.FromClassifier(Pretrained.Value),
        };
        tune?.Invoke(options);
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(options).Fit(key.Transform(train));
        var test = key.Transform(Pixels(ml, train: false, skip: 0, 100, TaskClasses));
        return ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
    }

    /// <summary>The best settings of the sweep for each strategy (its table is in docs/image-classifier.md).</summary>
    private static void Tuned(string strategy, ImageClassifierOptions o)
    {
        switch (strategy)
        {
            case "scratch": o.LearningRate = 3e-3f; o.Epochs = 160; break;
            case "frozen": o.LearningRate = 1e-3f; o.Epochs = 160; break;
            case "finetune": o.LearningRate = 1e-3f; o.BackboneLearningRateMultiplier = 1f; o.Epochs = 80; break;
            default: o.LearningRate = 1e-3f; o.BackboneLearningRateMultiplier = 1f; o.Epochs = 80; break;
        }
    }

    [Theory]
    [InlineData("scratch")]
    [InlineData("frozen")]
    [InlineData("finetune")]
    [InlineData("staged")]
    public void Defaults_come_within_reach_of_tuned_settings_on_a_ten_shot_transfer_task(string strategy)
    {
        double defaults = Enumerable.Range(1, Draws).Average(d => HeldOutAccuracy(strategy, d, null));
        double tuned = Enumerable.Range(1, Draws).Average(d => HeldOutAccuracy(strategy, d, o => Tuned(strategy, o)));

        TestContext.Current.TestOutputHelper?.WriteLine($"{strategy}: defaults {defaults:F3}, tuned {tuned:F3}");
        Assert.True(defaults > 0.5, $"{strategy}: defaults {defaults:F3} (chance 0.2)");
        Assert.True(defaults >= tuned - Margin, $"{strategy}: defaults {defaults:F3}, tuned {tuned:F3}");
    }
}
