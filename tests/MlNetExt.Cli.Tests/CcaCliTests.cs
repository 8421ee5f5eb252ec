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
    public void Two_files_joined_by_key_train_on_the_matched_rows_and_count_the_rows_left_out()
    {
        using var temp = new TempFolder();
        TwoViewFiles.Write(temp["views.csv"], rows: 400, seed: 5);
        var lines = File.ReadAllLines(temp["views.csv"]).Skip(1).Select(l => l.Split(',')).ToArray();
        // View A: rows 0..389 plus 6 ids the second file lacks; view B: the same rows shuffled plus 4 ids the first file lacks.
        var first = new List<string> { "subject,a1,a2,a3" };
        first.AddRange(lines.Take(390).Select((f, i) => $"s{i},{f[0]},{f[1]},{f[2]}"));
        first.AddRange(Enumerable.Range(0, 6).Select(i => $"only-a-{i},{lines[390 + i][0]},{lines[390 + i][1]},{lines[390 + i][2]}"));
        var shuffled = Enumerable.Range(0, 390).OrderBy(i => (i * 7919) % 390).ToArray();
        var second = new List<string> { "b1\tsubject\tb2\tb3" };
        second.AddRange(shuffled.Select(i => $"{lines[i][3]}\ts{i}\t{lines[i][4]}\t{lines[i][5]}"));
        second.AddRange(Enumerable.Range(0, 4).Select(i => $"1\tonly-b-{i}\t2\t3"));
        File.WriteAllLines(temp["a.csv"], first);
        File.WriteAllLines(temp["b.tsv"], second);

        var train = CliRun.Run(temp.Path, "cca", "--data", temp["a.csv"], "--data-b", temp["b.tsv"], "--key", "subject",
            "--view-a", "a1,a2,a3", "--view-b", "b1,b2,b3", "--epochs", "15", "--output", temp["run"]);
        Assert.True(train.ExitCode == 0, train.ToString());
        RunFolderFiles.AssertComplete(temp["run"]);
        Assert.Contains("joined 390 rows by --key 'subject': 6 row(s) of 'a.csv' (first key 'only-a-0') and 4 row(s) of 'b.tsv' (first key 'only-b-0')", train.StandardOutput);

        // joined.csv: the first file's order, each row's view B values taken from its partner in the shuffled second file.
        var joined = File.ReadAllLines(temp["run/joined.csv"]);
        Assert.Equal("subject,a1,a2,a3,b1,b2,b3", joined[0]);
        Assert.Equal(391, joined.Length);
        for (int i = 0; i < 390; i++)
            Assert.Equal($"s{i},{string.Join(',', lines[i])}", joined[i + 1]);

        var ml = new MLContext(0);
        var model = ml.Model.Load(temp["run/model.zip"], out _);
        var test = ml.Data.LoadFromTextFile(RunFolderFiles.Subset(temp["run/joined.csv"], RunFolderFiles.SplitRows(temp["run"], "test"), temp["test.csv"]),
            new[] { "a1", "a2", "a3", "b1", "b2", "b3" }.Select((c, i) => new TextLoader.Column(c, DataKind.Single, i + 1)).ToArray(), separatorChar: ',', hasHeader: true);
        var scored = model.Transform(test);
        var a = scored.GetColumn<float[]>("ViewAEmbedding").ToArray();
        var b = scored.GetColumn<float[]>("ViewBEmbedding").ToArray();
        var metrics = RunFolderFiles.Metrics(temp["run"]);
        Assert.Equal(RunFolderFiles.SplitRows(temp["run"], "test").Length, a.Length);
        for (int k = 0; k < 2; k++)
            RunFolderFiles.AssertClose(Pearson(a.Select(r => (double)r[k]).ToArray(), b.Select(r => (double)r[k]).ToArray()), metrics[$"canonical_correlation_{k + 1}"], $"canonical_correlation_{k + 1}");
        // Rows matched by the wrong key would share no signal; matched rows keep the strong first pair.
        Assert.True(metrics["canonical_correlation_1"] > 0.8, $"first pair {metrics["canonical_correlation_1"]}");
        Assert.Contains("rows left out (key with no partner)", File.ReadAllText(temp["run/report.html"]));
    }

    [Theory]
    [InlineData("id,a1\n1,0.5\n2,0.7\n", "id\tb1\n1\t0.1\n2\t0.2\n", "--key 'subject' is not a column of 'a.csv'; its columns are: id, a1.")]
    [InlineData("subject,a1\n1,0.5\n2,0.7\n", "id\tb1\n1\t0.1\n2\t0.2\n", "--key 'subject' is not a column of 'b.tsv'; its columns are: id, b1.")]
    [InlineData("subject,a1\n1,0.5\n2,0.7\n3,0.1\n", "subject\tb1\n1\t0.1\n2\t0.2\n1\t0.3\n", "'b.tsv' has --key 'subject' value '1' on lines 2 and 4")]
    [InlineData("subject,a1\n1,0.5\n2,0.7\n", "subject\tb1\n3\t0.1\n4\t0.2\n", "no --key 'subject' value of 'a.csv' is in 'b.tsv'")]
    public void Bad_key_join_is_named_and_leaves_no_run_folder(string first, string second, string expected)
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp["a.csv"], first);
        File.WriteAllText(temp["b.tsv"], second);
        var result = CliRun.Run(temp.Path, "cca", "--data", temp["a.csv"], "--data-b", temp["b.tsv"], "--key", "subject",
            "--view-a", "a1", "--view-b", "b1", "--components", "1", "--output", temp["run"]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.StandardError);
        Assert.False(Directory.Exists(temp["run"]));
    }

    [Fact]
    public void Second_file_without_a_key_is_refused()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp["a.csv"], "a1\n1\n");
        var result = CliRun.Run(temp.Path, "cca", "--data", temp["a.csv"], "--data-b", temp["a.csv"], "--view-a", "a1", "--view-b", "b1", "--components", "1");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--data-b needs --key", result.StandardError);
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
