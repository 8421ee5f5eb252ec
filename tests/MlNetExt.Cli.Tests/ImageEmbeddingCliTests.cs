using System.Text.Json;
using Microsoft.ML;
using MlNetExt;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>image-embedding end to end (small CNN from scratch, 32 px, 4 identities).</summary>
[Trait("Category", "EndToEnd")]
public sealed class ImageEmbeddingCliTests
{
    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";

        public string Label { get; set; } = "";
    }

    [Fact]
    public void Embedding_run_metrics_equal_the_library_evaluator_and_predict_identifies_with_the_gallery()
    {
        using var temp = new TempFolder();
        IdentityFiles.Write(temp["identities"], perIdentity: 8, seed: 4);
        var train = CliRun.Run(temp.Path, "image-embedding", "--data", temp["identities"], "--backbone", "scratch:small_cnn", "--image-size", "32",
            "--epochs", "5", "--augmentation", "none", "--test-fraction", "0.25", "--output", temp["run"]);
        Assert.True(train.ExitCode == 0, train.ToString());
        RunFolderFiles.AssertComplete(temp["run"]);
        Assert.True(File.Exists(temp["run/gallery.json"]));

        var split = File.ReadLines(temp["run/split.csv"]).Skip(1).Select(l => l.Split(',')).ToArray();
        var test = split.Where(f => f[^1] == "test").Select(f => new PathRow { ImagePath = f[1], Label = f[2] }).ToArray();
        var ml = new MLContext(0);
        var model = ml.Model.Load(temp["run/model.zip"], out _);
        var expected = ml.DeepLearning().Embeddings.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test)), "Embedding", "Label",
            new MlNetExt.Embeddings.Evaluation.EmbeddingEvaluationOptions { Seed = 0 });
        var metrics = RunFolderFiles.Metrics(temp["run"]);
        RunFolderFiles.AssertClose(expected.RecallAt1, metrics["recall_at_1"], "recall_at_1");
        RunFolderFiles.AssertClose(expected.EqualErrorRate, metrics["equal_error_rate"], "equal_error_rate");
        RunFolderFiles.AssertClose(expected.EqualErrorRateThreshold, metrics["verification_threshold"], "verification_threshold");
        // The report: the verification ROC with the equal-error point, and the held-out embeddings' 2-D projection by identity.
        string roc = Assert.Single(RunFolderFiles.ReportCharts(temp["run"], "roc"));
        Assert.Contains("Verification ROC", roc);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"EER {expected.EqualErrorRate:P1}"), roc);
        Assert.Contains("<polyline", roc);
        string projection = Assert.Single(RunFolderFiles.ReportCharts(temp["run"], "projection"));
        Assert.Contains("first two principal components", projection);
        foreach (var identity in test.GroupBy(t => t.Label).Where(g => g.Count() >= 2).Select(g => g.Key))
            Assert.Contains($">{identity}</text>", projection);
        var gallery = RunFolderFiles.Json(temp["run"], "gallery.json");
        Assert.Equal(metrics["verification_threshold"], gallery.GetProperty("verification_threshold").GetDouble(), 9);

        var predict = CliRun.Run(temp.Path, "predict", "--model", temp["run"], "--input", temp["identities/v8"], "--json");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var rows = JsonDocument.Parse(predict.StandardOutput).RootElement.EnumerateArray().ToArray();
        Assert.Equal(8, rows.Length);
        Assert.All(rows, r => Assert.True(r.GetProperty("Identity").GetString() is { Length: > 0 }));
        // Training images of identity v8 are in the gallery at distance 0, so they are identified as v8.
        var trainImages = split.Where(f => f[^1] == "train" && f[2] == "v8").Select(f => Path.GetFileName(f[1])).ToHashSet();
        foreach (var row in rows.Where(r => trainImages.Contains(r.GetProperty("row").GetString()!)))
        {
            Assert.Equal("v8", row.GetProperty("Identity").GetString());
            Assert.True(row.GetProperty("GalleryDistance").GetDouble() < 1e-4);
        }
    }
}
