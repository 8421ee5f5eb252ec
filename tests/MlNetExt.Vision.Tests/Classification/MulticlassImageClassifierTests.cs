using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Vision.Classification;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

[Collection(nameof(ImageClassifierCollection))]
public sealed class MulticlassImageClassifierTests
{
    // T-shirt/top, Trouser, Bag: visually distinct, so a few dozen images per class suffice.
    private static readonly int[] Classes = [0, 1, 8];

    private static (IDataView Train, IDataView Test) MLImageData(MLContext ml, int perClass = 30)
    {
        var train = FashionData.Images(ml, train: true, perClass, Classes);
        var key = FashionData.LabelToKey(ml, train);
        return (key.Transform(train), key.Transform(FashionData.Images(ml, train: false, 30, Classes)));
    }

    private static ImageClassifierOptions Options(TransferStrategy strategy, int epochs = 4) => new()
    {
        Strategy = strategy,
        Epochs = epochs,
        ImageSize = 32,
        BatchSize = 16,
        Seed = 1,
    };

    [Theory]
    [InlineData(TransferStrategy.Frozen)]
    [InlineData(TransferStrategy.FineTune)]
    [InlineData(TransferStrategy.Staged)]
    public void Every_strategy_learns_well_above_chance_and_Evaluate_works(TransferStrategy strategy)
    {
        var ml = new MLContext(1);
        var (train, test) = MLImageData(ml);
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(Options(strategy, strategy == TransferStrategy.Frozen ? 12 : 4)).Fit(train);

        var scored = model.Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(scored);

        Assert.True(metrics.MicroAccuracy > 0.75, $"{strategy}: accuracy {metrics.MicroAccuracy:F3} (chance 0.33)");
        var score = scored.Schema["Score"];
        Assert.Equal(3, ((VectorDataViewType)score.Type).Size);
    }

    [Fact]
    public void PredictedLabel_maps_back_to_the_label_values()
    {
        var ml = new MLContext(1);
        var (train, test) = MLImageData(ml);
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(Options(TransferStrategy.Frozen, 12)).Fit(train);

        var values = ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel").Fit(model.Transform(test))
            .Transform(model.Transform(test));
        var predicted = values.GetColumn<string>("PredictedText").ToArray();
        var truth = ml.Transforms.Conversion.MapKeyToValue("LabelText", "Label").Fit(test).Transform(test).GetColumn<string>("LabelText").ToArray();

        Assert.Equal(truth.Length, predicted.Length);
        Assert.All(predicted, p => Assert.Contains(p, new[] { "T-shirt/top", "Trouser", "Bag" }));
        double agreement = predicted.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length;
        Assert.True(agreement > 0.75, $"agreement {agreement:F3}");
    }
}

[CollectionDefinition(nameof(ImageClassifierCollection), DisableParallelization = true)]
public sealed class ImageClassifierCollection
{
}
