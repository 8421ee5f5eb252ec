using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Vision.Classification;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

/// <summary>Multiclass <c>Score</c> carries the class names as slot names, like ML.NET's own multiclass trainers.</summary>
[Collection(nameof(ImageClassifierCollection))]
public sealed class ScoreSlotNamesTests
{
    // Bag, Trouser, Sneaker: listed out of key order on purpose, so the names must follow the key, not the class ids.
    private static readonly int[] Classes = [8, 1, 7];

    private static string[] SlotNames(DataViewSchema schema, string column)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        schema[column].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static string[] KeyValues(DataViewSchema schema, string column)
    {
        VBuffer<ReadOnlyMemory<char>> values = default;
        schema[column].GetKeyValues(ref values);
        return values.DenseValues().Select(n => n.ToString()).ToArray();
    }

    [Fact]
    public void Score_slot_names_are_the_class_names_after_training_and_after_save_and_load()
    {
        var ml = new MLContext(3);
        var raw = FashionData.Pixels(ml, train: true, 20, Classes);
        var key = FashionData.LabelToKey(ml, raw);
        var train = key.Transform(raw);
        var test = key.Transform(FashionData.Pixels(ml, train: false, 20, Classes));
        var trainer = ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", Strategy = TransferStrategy.Frozen, Epochs = 10, ImageSize = 32, BatchSize = 16, Seed = 3,
        });
        var model = trainer.Fit(train);

        var expected = KeyValues(train.Schema, "Label");
        var scored = model.Transform(test);
        Assert.Equal(expected, SlotNames(scored.Schema, "Score"));
        Assert.Equal(expected, SlotNames(model.GetOutputSchema(test.Schema), "Score"));
        Assert.Null(scored.Schema.GetColumnOrNull("ImageClassifier.Probabilities"));
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.75, $"accuracy {metrics.MicroAccuracy:F3} (chance 0.33)");

        var path = Path.Combine(Path.GetTempPath(), $"slot-names-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, path);
            var loaded = new MLContext(4).Model.Load(path, out _);
            var reloaded = loaded.Transform(test);
            Assert.Equal(expected, SlotNames(reloaded.Schema, "Score"));
            Assert.Equal(metrics.MicroAccuracy, ml.MulticlassClassification.Evaluate(reloaded).MicroAccuracy, 10);
            var names = ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").Fit(reloaded).Transform(reloaded)
                .GetColumn<string>("PredictedName").ToArray();
            Assert.All(names, n => Assert.Contains(n, expected));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
