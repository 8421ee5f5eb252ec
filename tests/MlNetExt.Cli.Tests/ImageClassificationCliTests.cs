using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>One image-classification run (small CNN from scratch, 32 px, 2 classes of stripes) shared by the tests.</summary>
public sealed class ImageClassificationRun : IDisposable
{
    private readonly TempFolder _folder = new();

    public ImageClassificationRun()
    {
        ImageFiles.Stripes(Images, perClass: 16, seed: 2);
        Train = CliRun.Run(_folder.Path, "image-classification", "--data", Images, "--backbone", "scratch:small_cnn", "--image-size", "32",
            "--epochs", "6", "--augmentation", "none", "--seed", "2", "--output", Folder);
    }

    public string Images => _folder["images"];

    public string Folder => _folder["run"];

    public CliResult Train { get; }

    public void Dispose() => _folder.Dispose();
}

/// <summary>image-classification end to end on a folder with one sub-folder per class.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ImageClassificationCliTests(ImageClassificationRun run) : IClassFixture<ImageClassificationRun>
{
    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";

        public string Label { get; set; } = "";
    }

    private sealed class ClassName
    {
        public string Label { get; set; } = "";
    }

    [Fact]
    public void Folder_per_class_run_is_complete_and_its_metrics_equal_ML_NETs_evaluator_on_the_held_out_images()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        RunFolderFiles.AssertComplete(run.Folder);
        var settings = RunFolderFiles.Json(run.Folder, "config.json").GetProperty("settings");
        Assert.Equal("scratch:small_cnn", settings.GetProperty("backbone").GetString());
        Assert.Equal(32, settings.GetProperty("image_size").GetInt32());
        Assert.Equal(2, settings.GetProperty("seed").GetInt32());

        var split = File.ReadLines(Path.Combine(run.Folder, "split.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var test = split.Where(f => f[^1] == "test").Select(f => new PathRow { ImagePath = f[1], Label = f[2] }).ToArray();
        Assert.Equal(2 * 16, split.Length);
        Assert.NotEmpty(test);

        var ml = new MLContext(0);
        var model = ml.Model.Load(Path.Combine(run.Folder, "model.zip"), out _);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(test));
        var keyData = ml.Data.LoadFromEnumerable(new[] { "horizontal", "vertical" }.Select(c => new ClassName { Label = c }));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyData: keyData)
            .Append(ml.Transforms.Conversion.MapValueToKey("PredictedLabel", keyData: keyData)).Fit(scored).Transform(scored);
        var expected = ml.MulticlassClassification.Evaluate(keyed);

        var metrics = RunFolderFiles.Metrics(run.Folder);
        Assert.Equal(test.Length, RunFolderFiles.Json(run.Folder, "metrics.json").GetProperty("rows").GetInt64());
        RunFolderFiles.AssertClose(expected.MicroAccuracy, metrics["micro_accuracy"], "micro_accuracy");
        RunFolderFiles.AssertClose(expected.MacroAccuracy, metrics["macro_accuracy"], "macro_accuracy");
        RunFolderFiles.AssertClose(expected.LogLoss, metrics["log_loss"], "log_loss");
        // Horizontal against vertical stripes is easy: a small CNN separates them within a few epochs.
        Assert.True(metrics["micro_accuracy"] >= 0.75, $"held-out accuracy {metrics["micro_accuracy"]}");
        Assert.Contains("id=\"confusion-matrix\"", File.ReadAllText(Path.Combine(run.Folder, "report.html")));
    }

    [Fact]
    public void Binary_run_reports_a_ROC_curve_whose_area_is_the_held_out_ranking_of_the_second_class()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        var split = File.ReadLines(Path.Combine(run.Folder, "split.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var test = split.Where(f => f[^1] == "test").Select(f => new PathRow { ImagePath = f[1], Label = f[2] }).ToArray();
        var ml = new MLContext(0);
        var model = ml.Model.Load(Path.Combine(run.Folder, "model.zip"), out _);
        float[] vertical = model.Transform(ml.Data.LoadFromEnumerable(test)).GetColumn<float[]>("Score").Select(s => s[1]).ToArray();
        // AUC by its definition: over (vertical, horizontal) pairs, how often the vertical image scores higher (ties half).
        var positives = Enumerable.Range(0, test.Length).Where(i => test[i].Label == "vertical").ToArray();
        var negatives = Enumerable.Range(0, test.Length).Where(i => test[i].Label == "horizontal").ToArray();
        double wins = positives.Sum(p => negatives.Sum(n => vertical[p] > vertical[n] ? 1.0 : vertical[p] == vertical[n] ? 0.5 : 0));
        RunFolderFiles.AssertClose(wins / (positives.Length * negatives.Length), RunFolderFiles.Metrics(run.Folder)["area_under_roc_curve"], "area_under_roc_curve", 1e-5);

        string roc = Assert.Single(RunFolderFiles.ReportCharts(run.Folder, "roc"));
        Assert.Contains("ROC curve", roc);
        Assert.Contains("'vertical' against 'horizontal'", System.Net.WebUtility.HtmlDecode(roc));
        Assert.Contains("<polyline", roc);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Replay_of_the_image_run_gives_identical_metrics_and_split()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        using var temp = new TempFolder();
        var replay = CliRun.Run(temp.Path, "replay", Path.Combine(run.Folder, "config.json"), "--output", temp["replayed"], "--quiet");
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Equal(RunFolderFiles.Metrics(run.Folder), RunFolderFiles.Metrics(temp["replayed"]));
        Assert.Equal(File.ReadAllText(Path.Combine(run.Folder, "split.csv")), File.ReadAllText(temp["replayed/split.csv"]));
        Assert.Equal(File.ReadAllText(Path.Combine(run.Folder, "history.csv")).Split('\n').Length, File.ReadAllText(temp["replayed/history.csv"]).Split('\n').Length);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Tsv_of_image_paths_and_labels_trains_the_same_model_as_the_class_folders()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        using var temp = new TempFolder();
        // The same images in the order the folder layout gives (class folders, then files, ordinal), with paths relative to
        // the listing's folder and columns named by --image-column / --label-column: the same rows, split and training.
        var lines = new List<string> { "class\tfile" };
        foreach (var label in new[] { "horizontal", "vertical" })
            lines.AddRange(Directory.GetFiles(Path.Combine(run.Images, label)).Order(StringComparer.Ordinal)
                .Select(f => $"{label}\t{Path.GetRelativePath(temp.Path, f)}"));
        string listing = temp["listing.tsv"];
        File.WriteAllLines(listing, lines);
        var train = CliRun.Run(temp.Path, "image-classification", "--data", listing, "--image-column", "file", "--label-column", "class",
            "--backbone", "scratch:small_cnn", "--image-size", "32", "--epochs", "6", "--augmentation", "none", "--seed", "2", "--output", temp["run"], "--quiet");
        Assert.True(train.ExitCode == 0, train.ToString());
        RunFolderFiles.AssertComplete(temp["run"]);
        Assert.Equal(File.ReadAllText(Path.Combine(run.Folder, "split.csv")), File.ReadAllText(temp["run/split.csv"]));
        Assert.Equal(RunFolderFiles.Metrics(run.Folder), RunFolderFiles.Metrics(temp["run"]));
    }

    [Fact]
    public async Task Report_loads_in_Chromium_with_no_console_error_and_is_the_README_screenshot()
    {
        if (ReportInBrowser.Chromium is null)
            Assert.Skip("no Chromium (apt-get install chromium)");
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        // docs/images/cli-report.png is this file, copied from the test output.
        string screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "cli-report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        var page = await ReportInBrowser.OpenAsync(Path.Combine(run.Folder, "report.html"), screenshot);
        ReportInBrowser.AssertShowsRun(page, run.Folder, minimumImages: 2);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is empty");
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {screenshot}");
    }

    [Fact]
    public void Predict_on_an_image_folder_prints_the_saved_models_class_and_probabilities()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        string folder = Path.Combine(run.Images, "vertical");
        var predict = CliRun.Run(run.Images, "predict", "--model", run.Folder, "--input", folder, "--json");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var rows = JsonDocument.Parse(predict.StandardOutput).RootElement.EnumerateArray().ToArray();
        Assert.Equal(16, rows.Length);

        var ml = new MLContext(0);
        var model = ml.Model.Load(Path.Combine(run.Folder, "model.zip"), out _);
        var first = Path.Combine(folder, rows[0].GetProperty("row").GetString()!);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = first } }));
        Assert.Equal(scored.GetColumn<string>("PredictedLabel").Single(), rows[0].GetProperty("PredictedLabel").GetString());
        float[] expected = scored.GetColumn<float[]>("Score").Single();
        float[] printed = rows[0].GetProperty("Score").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(expected.Length, printed.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], printed[i], 5);
    }

    [Fact]
    public void Evaluate_and_export_work_on_the_image_run()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        using var temp = new TempFolder();
        var evaluate = CliRun.Run(temp.Path, "evaluate", "--model", run.Folder, "--data", run.Images, "--output", temp["evaluation"]);
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        Assert.Equal(32, RunFolderFiles.Json(temp["evaluation"], "metrics.json").GetProperty("rows").GetInt64());

        var export = CliRun.Run(temp.Path, "export", "--model", run.Folder, "--output", temp["net.onnx"]);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.Folder, "model.onnx")), File.ReadAllBytes(temp["net.onnx"]));
    }
}
