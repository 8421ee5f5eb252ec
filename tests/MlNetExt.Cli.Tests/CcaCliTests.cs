using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>cca end to end.</summary>
[Trait("Category", "EndToEnd")]
public sealed class CcaCliTests
{
    [Fact]
    public void Deep_cca_metrics_are_the_held_out_correlations_of_the_saved_models_projections()
    {
        using var temp = new TempFolder();
        TwoViewFiles.Write(temp["views.csv"], rows: 400, seed: 3);
        var train = CliRun.Run(temp.Path, "cca", "--data", temp["views.csv"], "--view-a", "a1,a2,a3", "--view-b", "b1", "b2", "b3",
            "--epochs", "15", "--output", temp["run"]);
        Assert.True(train.ExitCode == 0, train.ToString());
        RunFolderFiles.AssertComplete(temp["run"]);

        var ml = new MLContext(0);
        var model = ml.Model.Load(temp["run/model.zip"], out _);
        var test = ml.Data.LoadFromTextFile(RunFolderFiles.Subset(temp["views.csv"], RunFolderFiles.SplitRows(temp["run"], "test"), temp["test.csv"]),
            new[] { "a1", "a2", "a3", "b1", "b2", "b3" }.Select((c, i) => new TextLoader.Column(c, DataKind.Single, i)).ToArray(), separatorChar: ',', hasHeader: true);
        var scored = model.Transform(test);
        var a = scored.GetColumn<float[]>("ViewAEmbedding").ToArray();
        var b = scored.GetColumn<float[]>("ViewBEmbedding").ToArray();
        var metrics = RunFolderFiles.Metrics(temp["run"]);
        for (int k = 0; k < 2; k++)
        {
            double expected = Pearson(a.Select(r => (double)r[k]).ToArray(), b.Select(r => (double)r[k]).ToArray());
            RunFolderFiles.AssertClose(expected, metrics[$"canonical_correlation_{k + 1}"], $"canonical_correlation_{k + 1}");
        }
        // Two shared latent signals with little noise: both canonical pairs correlate strongly on unseen rows.
        Assert.True(metrics["canonical_correlation_1"] > 0.8, $"first pair {metrics["canonical_correlation_1"]}");
        Assert.True(metrics["canonical_correlation_2"] > 0.6, $"second pair {metrics["canonical_correlation_2"]}");
        var linear = RunFolderFiles.Json(temp["run"], "metrics.json").GetProperty("details").GetProperty("linear_cca_held_out");
        Assert.Equal(2, linear.GetArrayLength());
    }

    [Fact]
    public void Text_column_in_a_view_is_named()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp["views.csv"], "a1,a2,b1,b2\n1,x,2,3\n2,y,3,4\n3,z,4,5\n");
        var result = CliRun.Run(temp.Path, "cca", "--data", temp["views.csv"], "--view-a", "a1,a2", "--view-b", "b1,b2", "--components", "1", "--output", temp["run"]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("column 'a2'", result.StandardError);
        Assert.False(Directory.Exists(temp["run"]));
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (p, q) => (p - mx) * (q - my)).Sum();
        return sxy / Math.Sqrt(x.Sum(p => (p - mx) * (p - mx)) * y.Sum(q => (q - my) * (q - my)));
    }
}
