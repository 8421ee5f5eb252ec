using Microsoft.ML;
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
}
