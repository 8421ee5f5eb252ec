using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>count-regression end to end: the tool as a process on a generated CSV (a few seconds per run).</summary>
[Trait("Category", "EndToEnd")]
public sealed class CountRegressionCliTests(CountRegressionRun run) : IClassFixture<CountRegressionRun>
{
    [Fact]
    public void Training_writes_a_complete_run_folder_with_every_resolved_option()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        RunFolderFiles.AssertComplete(run.Folder);

        var config = RunFolderFiles.Json(run.Folder, "config.json");
        Assert.Equal("count-regression", config.GetProperty("scenario").GetString());
        var settings = config.GetProperty("settings");
        Assert.Equal(3, settings.GetProperty("seed").GetInt32());
        Assert.Equal(40, settings.GetProperty("epochs").GetInt32());
        Assert.Equal(0.01f, settings.GetProperty("learning_rate").GetSingle());
        Assert.Equal(run.Data, settings.GetProperty("data").GetString());
        Assert.Equal(["x1", "x2", "group"], settings.GetProperty("features").EnumerateArray().Select(e => e.GetString()));
        Assert.True(settings.TryGetProperty("batch_size", out _) && settings.TryGetProperty("threads", out _) && settings.TryGetProperty("test_fraction", out _));
        var packages = config.GetProperty("environment").GetProperty("packages");
        foreach (var package in new[] { "Microsoft.ML", "TorchSharp", "Microsoft.ML.OnnxRuntime", "MlNetExt.Regression", "mlnetext" })
            Assert.False(string.IsNullOrEmpty(packages.GetProperty(package).GetString()), package);

        var history = File.ReadAllLines(Path.Combine(run.Folder, "history.csv"));
        Assert.StartsWith("stage,epoch,", history[0]);
        Assert.Equal(41, history.Length);
        Assert.Contains("id=\"metrics\"", File.ReadAllText(Path.Combine(run.Folder, "report.html")));
    }

    [Fact]
    public void Metrics_json_equals_the_library_evaluator_on_the_held_out_rows_and_the_model_learned()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        var ml = new MLContext(0);
        var dl = ml.DeepLearning();
        using var temp = new TempFolder();
        var test = Load(ml, RunFolderFiles.Subset(run.Data, RunFolderFiles.SplitRows(run.Folder, "test"), temp["test.csv"]));
        var train = Load(ml, RunFolderFiles.Subset(run.Data, RunFolderFiles.SplitRows(run.Folder, "train"), temp["train.csv"]));
        var model = ml.Model.Load(Path.Combine(run.Folder, "model.zip"), out _);

        var expected = dl.Regression.EvaluateCounts(model.Transform(test), "y", "Score", referenceMeanCounts: dl.Regression.ComputeMeanCounts(train, "y"));
        var metrics = RunFolderFiles.Metrics(run.Folder);
        Assert.Equal(expected.RowCount, RunFolderFiles.Json(run.Folder, "metrics.json").GetProperty("rows").GetInt64());
        RunFolderFiles.AssertClose(expected.MeanNegativeLogLikelihood, metrics["mean_negative_log_likelihood"], "mean_negative_log_likelihood");
        RunFolderFiles.AssertClose(expected.MeanDeviance, metrics["mean_deviance"], "mean_deviance");
        RunFolderFiles.AssertClose(expected.DevianceExplained, metrics["deviance_explained"], "deviance_explained");
        RunFolderFiles.AssertClose(expected.BitsPerSpike, metrics["bits_per_spike"], "bits_per_spike");
        // The generated counts have a log-linear signal that explains about 30 % of the deviance: a model that learned it beats the mean clearly.
        Assert.True(metrics["deviance_explained"] > 0.1, $"deviance explained {metrics["deviance_explained"]}");
    }

    [Fact]
    public void Predict_json_equals_the_saved_models_scores()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        var predict = CliRun.Run(run.Root, "predict", "--model", run.Folder, "--input", run.Data, "--rows", "5", "--json");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var rows = JsonDocument.Parse(predict.StandardOutput).RootElement.EnumerateArray().ToArray();
        Assert.Equal(5, rows.Length);

        var ml = new MLContext(0);
        var model = ml.Model.Load(Path.Combine(run.Folder, "model.zip"), out _);
        float[] scores = model.Transform(Load(ml, run.Data)).GetColumn<float>("Score").Take(5).ToArray();
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[i].GetProperty("row").GetString());
            Assert.Equal(scores[i], rows[i].GetProperty("Score").GetSingle(), 5);
        }
    }

    [Fact]
    public void Evaluate_on_new_data_writes_metrics_of_every_row()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        using var temp = new TempFolder();
        TabularFiles.Counts(temp["new.csv"], rows: 120, seed: 99);
        var evaluate = CliRun.Run(temp.Path, "evaluate", "--model", run.Folder, "--data", temp["new.csv"], "--output", temp["evaluation"]);
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());

        var ml = new MLContext(0);
        var model = ml.Model.Load(Path.Combine(run.Folder, "model.zip"), out _);
        var expected = ml.DeepLearning().Regression.EvaluateCounts(model.Transform(Load(ml, temp["new.csv"])), "y", "Score");
        Assert.Equal(120, RunFolderFiles.Json(temp["evaluation"], "metrics.json").GetProperty("rows").GetInt64());
        RunFolderFiles.AssertClose(expected.MeanDeviance, RunFolderFiles.Metrics(temp["evaluation"])["mean_deviance"], "mean_deviance");
        Assert.True(File.Exists(temp["evaluation/report.html"]));
    }

    [Fact]
    public void Export_writes_the_runs_network_as_onnx()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        using var temp = new TempFolder();
        var export = CliRun.Run(temp.Path, "export", "--model", Path.Combine(run.Folder, "model.zip"), "--format", "onnx", "--output", temp["out/net.onnx"]);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.Folder, "model.onnx")), File.ReadAllBytes(temp["out/net.onnx"]));
    }

    [Fact]
    public void Replay_of_config_json_gives_identical_metrics()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        using var temp = new TempFolder();
        var replay = CliRun.Run(temp.Path, "replay", Path.Combine(run.Folder, "config.json"), "--output", temp["replayed"], "--quiet");
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Equal(RunFolderFiles.Metrics(run.Folder), RunFolderFiles.Metrics(temp["replayed"]));
        Assert.Equal(File.ReadAllText(Path.Combine(run.Folder, "split.csv")), File.ReadAllText(temp["replayed/split.csv"]));
    }

    internal static IDataView Load(MLContext ml, string csv) => ml.Data.LoadFromTextFile(csv,
    [
        new TextLoader.Column("x1", DataKind.Single, 0),
        new TextLoader.Column("x2", DataKind.Single, 1),
        new TextLoader.Column("group", DataKind.String, 2),
        new TextLoader.Column("y", DataKind.Single, 3),
    ], separatorChar: ',', hasHeader: true);
}
