using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Uncertainty;
using Xunit;

namespace MlNetExt.Regression.Tests.Gaussian;

public sealed class NeuralGaussianTrainerTests(ScalarGaussianModelFixture fixture, ITestOutputHelper output)
    : IClassFixture<ScalarGaussianModelFixture>
{
    private sealed class Prediction
    {
        public float Score { get; set; }
        public float ScoreStdDev { get; set; }
        public float TrueStdDev { get; set; }
    }

    private Prediction[] PredictTestSet() => fixture.Context.Data
        .CreateEnumerable<Prediction>(fixture.Model.Transform(fixture.TestData), reuseRowObject: false).ToArray();

    [Fact]
    public void Predicted_std_dev_tracks_the_true_noise_level_on_held_out_data()
    {
        var predictions = PredictTestSet();
        double correlation = Correlation.Pearson(
            predictions.Select(p => (double)p.ScoreStdDev).ToArray(), predictions.Select(p => (double)p.TrueStdDev).ToArray());
        output.WriteLine($"corr(predicted sigma, true sigma) = {correlation:F3}; training took {fixture.TrainingTime.TotalSeconds:F1} s");
        Assert.True(correlation >= 0.9, $"Pearson correlation of predicted and true sigma was {correlation:F3}, expected >= 0.9.");
    }

    [Fact]
    public void Ninety_percent_intervals_cover_85_to_95_percent_of_held_out_labels()
    {
        var metrics = fixture.Context.Regression.EvaluateUncertainty(fixture.Model.Transform(fixture.TestData));
        output.WriteLine($"NLL {metrics.MeanNegativeLogLikelihood:F3}, RMSE {metrics.RootMeanSquaredError:F3}, ECE {metrics.ExpectedCalibrationError:F3}, " +
            string.Join(", ", metrics.Coverage.Select(c => $"{c.Level:P0}: {c.Observed:P1}")));
        Assert.InRange(metrics.CoverageAt(0.9), 0.85, 0.95);
    }

    [Fact]
    public void Onnx_scores_match_the_torchsharp_network()
    {
        var features = new float[fixture.TestRows.Length, HeteroscedasticData.FeatureCount];
        for (int i = 0; i < fixture.TestRows.Length; i++)
            for (int j = 0; j < HeteroscedasticData.FeatureCount; j++)
                features[i, j] = fixture.TestRows[i].Features[j];
        var (torchMean, torchStdDev) = fixture.Network.Predict(features);
        var onnx = PredictTestSet();

        double meanError = 0, stdDevError = 0, meanMax = 0, stdDevMax = 0;
        for (int i = 0; i < onnx.Length; i++)
        {
            meanError = Math.Max(meanError, Math.Abs(onnx[i].Score - torchMean[i, 0]));
            stdDevError = Math.Max(stdDevError, Math.Abs(onnx[i].ScoreStdDev - torchStdDev[i, 0]));
            meanMax = Math.Max(meanMax, Math.Abs(torchMean[i, 0]));
            stdDevMax = Math.Max(stdDevMax, Math.Abs(torchStdDev[i, 0]));
        }
        output.WriteLine($"max relative error: mean {meanError / meanMax:E2}, std dev {stdDevError / stdDevMax:E2}");
        Assert.True(meanError / meanMax <= 1e-5, $"mean: max relative error {meanError / meanMax:E2}");
        Assert.True(stdDevError / stdDevMax <= 1e-5, $"std dev: max relative error {stdDevError / stdDevMax:E2}");
    }

    [Fact]
    public void Saved_and_loaded_model_gives_identical_outputs()
    {
        var path = Path.Combine(Path.GetTempPath(), $"neural-gaussian-{Guid.NewGuid():N}.zip");
        try
        {
            fixture.Context.Model.Save(fixture.Model, fixture.TrainData.Schema, path);
            var loaded = fixture.Context.Model.Load(path, out _);
            // Plain ML.NET scores the loaded chain row by row, as the model's own chain does (its Transform batches, which
            // may round differently in the last bit).
            var before = fixture.Context.Data.CreateEnumerable<Prediction>(fixture.Model.Model.Transform(fixture.TestData), reuseRowObject: false).ToArray();
            var after = fixture.Context.Data.CreateEnumerable<Prediction>(loaded.Transform(fixture.TestData), reuseRowObject: false).ToArray();

            Assert.Equal(before.Select(p => p.Score), after.Select(p => p.Score));
            Assert.Equal(before.Select(p => p.ScoreStdDev), after.Select(p => p.ScoreStdDev));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Scalar_label_gives_scalar_columns_that_regression_evaluate_accepts()
    {
        var scored = fixture.Model.Transform(fixture.TestData);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["ScoreStdDev"].Type);
        Assert.Null(scored.Schema.GetColumnOrNull("NeuralGaussian.Mean"));

        var standard = fixture.Context.Regression.Evaluate(scored);
        var uncertainty = fixture.Context.Regression.EvaluateUncertainty(scored);

        Assert.Equal(uncertainty.RootMeanSquaredError, standard.RootMeanSquaredError, 1e-5);
        // Noise variance is about 0.11 of a label variance of about 0.6: a good mean explains most of it.
        Assert.True(standard.RSquared > 0.6, $"R^2 was {standard.RSquared:F3}");
    }

    [Fact]
    public void Exported_onnx_file_scores_batches_like_the_pipeline_and_history_has_both_stages()
    {
        var path = Path.Combine(Path.GetTempPath(), $"neural-gaussian-{Guid.NewGuid():N}.onnx");
        try
        {
            fixture.Model.ExportToOnnx(path);
            var rows = fixture.TestRows.Take(16).ToArray();
            var input = new DenseTensor<float>(rows.SelectMany(r => r.Features).ToArray(), [rows.Length, HeteroscedasticData.FeatureCount]);
            using var session = new InferenceSession(path);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(fixture.Model.OnnxInputName, input)]);
            var mean = results.Single(r => r.Name == NeuralGaussianTransformer.OnnxMeanOutputName).AsTensor<float>().ToArray();
            var stdDev = results.Single(r => r.Name == NeuralGaussianTransformer.OnnxStdDevOutputName).AsTensor<float>().ToArray();
            var pipeline = PredictTestSet().Take(16).ToArray();

            for (int i = 0; i < rows.Length; i++)
            {
                Assert.Equal(pipeline[i].Score, mean[i], 1e-5f * Math.Max(1, Math.Abs(mean[i])));
                Assert.Equal(pipeline[i].ScoreStdDev, stdDev[i], 1e-5f * stdDev[i]);
            }
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal([5, 25], fixture.Model.History.Stages.Select(r => r.EpochsRun));
        Assert.Equal(1, fixture.Model.OutputCount);
    }
}
