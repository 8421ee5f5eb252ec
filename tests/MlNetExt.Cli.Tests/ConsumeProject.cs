using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>Builds and runs a run folder's generated consume/ project with <c>dotnet run</c> (offline, from the NuGet cache).</summary>
public static class ConsumeProject
{
    /// <summary>Runs the project and returns the JSON object its last output line prints (the prediction for the first example).</summary>
    public static async Task<JsonElement> RunAsync(string runFolder)
    {
        string consume = Path.Combine(runFolder, "consume");
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
        return JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.Clone();
    }
}
