using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Counts;
using Xunit;

namespace MlNetExt.Regression.Tests.Counts;

public class SavedModelIsolationTests
{
    /// <summary>The probe's dll, built next to this test project with the same configuration and framework.</summary>
    private static string ProbePath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = dir.Name, configuration = dir.Parent!.Name;
        string testsDir = dir.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(testsDir, "MlNetExt.Regression.ScoringProbe", "bin", configuration, tfm, "MlNetExt.Regression.ScoringProbe.dll");
    }

    [Fact]
    public async Task Saved_model_scores_in_a_process_that_never_loads_MlNetExt_or_TorchSharp()
    {
        var ml = new MLContext(1);
        var rows = CountData.Poisson(1500, seed: 31);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { Epochs = 5, Seed = 1, HiddenLayers = [16] }).Fit(data);
        var probeRows = rows.Take(50).ToArray();
        float[] inProcess = model.Transform(ml.Data.LoadFromEnumerable(probeRows)).GetColumn<float>("Score").ToArray();

        string dir = Directory.CreateTempSubdirectory("mlnetext-probe-").FullName;
        try
        {
            string zip = Path.Combine(dir, "model.zip"), csv = Path.Combine(dir, "features.csv");
            ml.Model.Save(model, data.Schema, zip);
            File.WriteAllLines(csv, probeRows.Select(r => string.Join(",", r.Features.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
            string probe = ProbePath();
            Assert.True(File.Exists(probe), $"probe not built at {probe}");

            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { probe, zip, csv }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var ct = TestContext.Current.CancellationToken;
            var stdoutTask = process.StandardOutput.ReadToEndAsync(ct);
            string stderr = await process.StandardError.ReadToEndAsync(ct);
            string stdout = await stdoutTask;
            await process.WaitForExitAsync(ct);

            Assert.True(process.ExitCode == 0, $"probe exit {process.ExitCode}: {stderr}\n{stdout}");
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var assemblies = lines.Where(l => l.StartsWith("assembly ")).Select(l => l[9..]).Where(a => a != "MlNetExt.Regression.ScoringProbe").ToArray();
            Assert.Contains("Microsoft.ML.OnnxTransformer", assemblies);
            Assert.DoesNotContain(assemblies, a => a.StartsWith("MlNetExt") || a.StartsWith("TorchSharp"));
            float[] probed = lines.Where(l => l.StartsWith("score ")).Select(l => float.Parse(l[6..], CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(inProcess, probed);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
