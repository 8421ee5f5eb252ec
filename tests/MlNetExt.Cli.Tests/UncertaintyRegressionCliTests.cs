using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>uncertainty-regression end to end.</summary>
[Trait("Category", "EndToEnd")]
public sealed class UncertaintyRegressionCliTests
{
    [Fact]
    public void Training_metrics_equal_the_library_evaluator_and_predict_prints_mean_and_standard_deviation()
    {
        using var temp = new TempFolder();
        TabularFiles.Gaussian(temp["data.csv"], rows: 400, seed: 11);
        var train = CliRun.Run(temp.Path, "uncertainty-regression", "--data", temp["data.csv"], "--label", "y", "--epochs", "40",
            "--hidden-layers", "16", "--learning-rate", "0.01", "--output", temp["run"]);
        Assert.True(train.ExitCode == 0, train.ToString());
        RunFolderFiles.AssertComplete(temp["run"]);

        var ml = new MLContext(0);
        var model = ml.Model.Load(temp["run/model.zip"], out _);
        var test = Load(ml, RunFolderFiles.Subset(temp["data.csv"], RunFolderFiles.SplitRows(temp["run"], "test"), temp["test.csv"]));
        var scored = model.Transform(test);
        var expected = ml.DeepLearning().Regression.EvaluateUncertainty(scored, "y", "Score", "ScoreStdDev");
        var metrics = RunFolderFiles.Metrics(temp["run"]);
        Assert.Equal(expected.RowCount, RunFolderFiles.Json(temp["run"], "metrics.json").GetProperty("rows").GetInt64());
        RunFolderFiles.AssertClose(expected.MeanNegativeLogLikelihood, metrics["mean_negative_log_likelihood"], "mean_negative_log_likelihood");
        RunFolderFiles.AssertClose(expected.RootMeanSquaredError, metrics["root_mean_squared_error"], "root_mean_squared_error");
        // y = 2 x1 + noise (std 0.1-0.6), x1 uniform in [-1, 1]: a model that learned the mean has an RMSE well under std(y) ~ 1.2.
        Assert.True(metrics["root_mean_squared_error"] < 0.7, $"RMSE {metrics["root_mean_squared_error"]}");

        var predict = CliRun.Run(temp.Path, "predict", "--model", temp["run"], "--input", temp["data.csv"], "--rows", "3", "--json");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var rows = JsonDocument.Parse(predict.StandardOutput).RootElement.EnumerateArray().ToArray();
        float[] std = model.Transform(Load(ml, temp["data.csv"])).GetColumn<float>("ScoreStdDev").Take(3).ToArray();
        for (int i = 0; i < 3; i++)
            Assert.Equal(std[i], rows[i].GetProperty("ScoreStdDev").GetSingle(), 5);
    }

    private static IDataView Load(MLContext ml, string csv) => ml.Data.LoadFromTextFile(csv,
    [
        new TextLoader.Column("x1", DataKind.Single, 0),
        new TextLoader.Column("x2", DataKind.Single, 1),
        new TextLoader.Column("y", DataKind.Single, 2),
    ], separatorChar: ',', hasHeader: true);
}
