using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Tests.Counts;
using MlNetExt.Regression.Tests.Gaussian;
using Xunit;

namespace MlNetExt.Regression.Tests.Scoring;

/// <summary>
/// Trained Regression models score through <see cref="OnnxModelTransformer.Transform"/> in batches: the values equal the
/// scoring chain's row-by-row values (ONNX Runtime may pick other kernels for a batch, so the bound is a rounding one), and
/// ML.NET's consumers (evaluation, shuffling, column subsets, PredictionEngine) see what they see with the chain.
/// </summary>
public sealed class BatchedRegressionScoringTests
{
    private static float[][] Vectors(IDataView data, string column)
        => data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    private static void AssertClose(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int row = 0; row < expected.Length; row++)
        {
            Assert.Equal(expected[row].Length, actual[row].Length);
            for (int i = 0; i < expected[row].Length; i++)
                worst = Math.Max(worst, Math.Abs(expected[row][i] - actual[row][i]) / Math.Max(1.0, Math.Abs(expected[row][i])));
        }
        Assert.True(worst <= 1e-5, $"largest relative difference {worst:G3}");
    }

    [Fact]
    public void Vector_count_model_scores_in_batches_as_the_chain_does_row_by_row()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(CountData.MultiPoisson(700, seed: 161));
        var model = ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions
        {
            LabelColumnName = "Counts", Epochs = 2, HiddenLayers = [16, 8],
        }).Fit(data);

        var rowByRow = model.Model.Transform(data);
        var batched = model.Transform(data);

        Assert.Equal(rowByRow.Schema.Select(c => (c.Name, c.Type)), batched.Schema.Select(c => (c.Name, c.Type)));
        AssertClose(Vectors(rowByRow, "Score"), Vectors(batched, "Score"));
        model.ScoringBatchSize = 1;
        AssertClose(Vectors(rowByRow, "Score"), Vectors(model.Transform(data), "Score"));
    }

    [Fact]
    public void Count_model_with_exposure_evaluates_and_shuffles_as_the_chain_does()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(CountData.Poisson(500, seed: 162, withExposure: true));
        var model = ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions
        {
            ExposureColumnName = "Exposure", Epochs = 2, HiddenLayers = [8],
        }).Fit(data);
        model.ScoringBatchSize = 48;

        var batched = model.Transform(data);
        var rowByRow = model.Model.Transform(data);
        var expected = rowByRow.GetColumn<float>("Score").ToArray();
        var scores = batched.GetColumn<float>("Score").ToArray();
        var shuffled = ml.Data.ShuffleRows(batched, seed: 3);
        var pairs = shuffled.GetColumn<float>("TrueRate").Zip(shuffled.GetColumn<float>("Score")).ToArray();

        Assert.Equal(expected.Length, scores.Length);
        Assert.All(expected.Zip(scores), p => Assert.Equal(p.First, p.Second, 1e-5 * Math.Max(1, Math.Abs(p.First))));
        Assert.Equal(ml.Regression.Evaluate(rowByRow).MeanAbsoluteError, ml.Regression.Evaluate(batched).MeanAbsoluteError, 1e-5);
        // Shuffling keeps each row's pass-through values with that row's score.
        var byRate = data.GetColumn<float>("TrueRate").Zip(scores).OrderBy(p => p.First).ThenBy(p => p.Second).ToArray();
        Assert.NotEqual(byRate.Select(p => p.First), pairs.Select(p => p.First));
        Assert.Equal(byRate, pairs.OrderBy(p => p.First).ThenBy(p => p.Second).ToArray());
    }

    [Fact]
    public void Gaussian_vector_model_scores_in_batches_and_a_PredictionEngine_agrees_with_one_row()
    {
        var ml = new MLContext(2);
        var rows = HeteroscedasticData.Vector(300, seed: 163);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.DeepLearning().Regression.Trainers.NeuralGaussian(new NeuralGaussianOptions { Epochs = 2, HiddenLayers = [8] }).Fit(data);

        var batched = model.Transform(data);
        var rowByRow = model.Model.Transform(data);
        AssertClose(Vectors(rowByRow, "Score"), Vectors(batched, "Score"));
        AssertClose(Vectors(rowByRow, "ScoreStdDev"), Vectors(batched, "ScoreStdDev"));

        using var engine = ml.Model.CreatePredictionEngine<HeteroscedasticData.VectorRow, GaussianPrediction>(model);
        var one = engine.Predict(rows[17]);
        AssertClose([Vectors(batched, "Score")[17]], [one.Score]);
    }

    private sealed class GaussianPrediction
    {
        [VectorType(2)] public float[] Score { get; set; } = [];
    }
}
