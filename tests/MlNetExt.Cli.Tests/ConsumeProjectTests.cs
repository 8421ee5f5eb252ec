using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>The generated consumption project builds offline (from the NuGet cache) and predicts what <c>mlnetext predict</c>
/// prints. Slow: a restore and build of a separate project (about a minute).</summary>
[Trait("Category", "Slow")]
[Trait("Category", "EndToEnd")]
public sealed class ConsumeProjectTests(CountRegressionRun run) : IClassFixture<CountRegressionRun>
{
    [Fact]
    public async Task Generated_consume_project_builds_runs_and_predicts_what_predict_prints()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.ToString());
        string consume = Path.Combine(run.Folder, "consume");
        string program = File.ReadAllText(Path.Combine(consume, "Program.cs"));
        Assert.DoesNotContain("MlNetExt.", File.ReadAllText(Path.Combine(consume, "Consume.csproj")));

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = consume,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "run", "-c", "Release" }) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(n => n.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || n.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(8));
        var stdoutTask = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderrTask = process.StandardError.ReadToEndAsync(limit.Token);
        await process.WaitForExitAsync(limit.Token);
        string stdout = await stdoutTask, stderr = await stderrTask;
        Assert.True(process.ExitCode == 0, $"{program}\n{stdout}\n{stderr}");
        string json = stdout.Trim().Split('\n')[^1];
        float consumed = JsonDocument.Parse(json).RootElement.GetProperty("Score").GetSingle();

        var predict = CliRun.Run(run.Root, "predict", "--model", run.Folder, "--input", run.Data, "--rows", "1", "--json");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        float predicted = JsonDocument.Parse(predict.StandardOutput).RootElement[0].GetProperty("Score").GetSingle();
        Assert.Equal(predicted, consumed, 5);
    }
}
