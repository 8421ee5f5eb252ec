using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Training;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Uncertainty;
using Xunit;

namespace MlNetExt.Regression.Tests.Gaussian;

public sealed class NeuralGaussianColumnsAndProgressTests
{
    private sealed class PositionRow
    {
        [VectorType(HeteroscedasticData.FeatureCount)] public float[] Descriptors { get; set; } = [];
        public float Position { get; set; }
    }

    private sealed class WiderRow
    {
        [VectorType(HeteroscedasticData.FeatureCount + 1)] public float[] Descriptors { get; set; } = [];
        public float Position { get; set; }
    }

    private static PositionRow[] Rows(int count, int seed) => HeteroscedasticData.Scalar(count, seed)
        .Select(r => new PositionRow { Descriptors = r.Features, Position = r.Label }).ToArray();

    [Fact]
    public void Custom_column_names_and_validation_metrics_reach_progress_and_evaluators()
    {
        TorchSharp.torch.set_num_threads(1);
        var ml = new MLContext(2);
        var progress = new List<TrainingProgress>();
        var options = new NeuralGaussianOptions
        {
            LabelColumnName = "Position", FeatureColumnName = "Descriptors",
            ScoreColumnName = "PredictedPosition", StdDevColumnName = "PositionStdDev",
            Epochs = 4, MeanWarmupEpochs = 1, HiddenLayers = [8], ValidationFraction = 0.25f,
            Progress = progress.Add,
        };

        var model = new NeuralGaussianTrainer(ml, options).Fit(ml.Data.LoadFromEnumerable(Rows(400, seed: 3)));
        var scored = model.Transform(ml.Data.LoadFromEnumerable(Rows(100, seed: 4)));

        Assert.Equal(["mean warm-up", "beta-nll", "beta-nll", "beta-nll"], progress.Select(p => p.Stage));
        Assert.All(progress, p => Assert.NotNull(p.ValidationLoss));
        Assert.All(progress.Skip(1), p => Assert.True(double.IsFinite(p.Metrics["nll"]) && p.Metrics["mse"] > 0));
        var metrics = ml.Regression.EvaluateUncertainty(scored, "Position", "PredictedPosition", "PositionStdDev");
        Assert.True(double.IsFinite(metrics.MeanNegativeLogLikelihood));
        var standard = ml.Regression.Evaluate(scored, "Position", "PredictedPosition");
        Assert.Equal(metrics.RootMeanSquaredError, standard.RootMeanSquaredError, 1e-5);
    }

    [Fact]
    public void Scoring_data_with_a_different_feature_size_names_the_column()
    {
        var ml = new MLContext(2);
        var options = new NeuralGaussianOptions { LabelColumnName = "Position", FeatureColumnName = "Descriptors", Epochs = 1, HiddenLayers = [4] };
        var model = new NeuralGaussianTrainer(ml, options).Fit(ml.Data.LoadFromEnumerable(Rows(50, seed: 3)));
        var wider = ml.Data.LoadFromEnumerable(new[] { new WiderRow { Descriptors = [1, 2, 3, 4], Position = 1 } });

        var e = Assert.ThrowsAny<Exception>(() => model.Transform(wider).Preview());

        Assert.Contains("Descriptors", e.Message);
    }
}
