using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MlNetExt.Core.Pipelines;

/// <summary>
/// A linear regression prediction transformer with weight exactly [1] and bias exactly 0, built through
/// ML.NET's public API. ML.NET offers no public constructor for fixed linear weights, so it is obtained by
/// two online-gradient-descent steps that are exact in float arithmetic: squared loss (derivative
/// 2 (output - label)), learning rate 0.5, no averaging, no shuffling, no L2, from zero weights:
/// <list type="number">
/// <item>feature 1, label 1: output 0, update +1 to weight and bias -> w = 1, b = 1;</item>
/// <item>feature 0, label 0: output 1, update -1 to the bias only (the feature is 0) -> w = 1, b = 0.</item>
/// </list>
/// The result is checked, so a change in ML.NET's trainer cannot go unnoticed.
/// </summary>
internal static class IdentityRegression
{
    /// <param name="context">The ML.NET context.</param>
    /// <param name="featureColumn">The feature column.</param>
    /// <param name="featureType">Its exact type (one float element; dimensions are kept so the transformer accepts the column).</param>
    public static RegressionPredictionTransformer<LinearRegressionModelParameters> Fit(MLContext context, string featureColumn, VectorDataViewType featureType)
    {
        string labelColumn = featureColumn == "Label" ? "IdentityLabel" : "Label";
        var schema = SchemaDefinition.Create(typeof(Example));
        var feature = schema[nameof(Example.Feature)];
        feature.ColumnName = featureColumn;
        feature.ColumnType = featureType;
        schema[nameof(Example.Target)].ColumnName = labelColumn;

        var examples = new[]
        {
            new Example { Feature = [1f], Target = 1f },
            new Example { Feature = [0f], Target = 0f },
        };
        var data = context.Data.LoadFromEnumerable(examples, schema);

        var trainer = context.Regression.Trainers.OnlineGradientDescent(new OnlineGradientDescentTrainer.Options
        {
            LabelColumnName = labelColumn,
            FeatureColumnName = featureColumn,
            LossFunction = new SquaredLoss(),
            LearningRate = 0.5f,
            DecreaseLearningRate = false,
            L2Regularization = 0f,
            NumberOfIterations = 1,
            Shuffle = false,
            Averaged = false,
            InitialWeightsDiameter = 0f,
        });
        var model = trainer.Fit(data);

        var weights = model.Model.Weights;
        if (weights.Count != 1 || weights[0] != 1f || model.Model.Bias != 0f)
            throw new InvalidOperationException(
                $"Building the identity regression gave weights [{string.Join(", ", weights)}] and bias {model.Model.Bias} instead of [1] and 0.");
        return model;
    }

    private sealed class Example
    {
        public float[] Feature { get; set; } = [];

        public float Target { get; set; }
    }
}
