using System.Diagnostics;
using System.Text;

namespace MlNetExt.Packaging.Tests;

/// <summary>One finished child process: what ran, how it ended and everything it printed.</summary>
public sealed record CommandResult(string CommandLine, string WorkingDirectory, int ExitCode, bool TimedOut, TimeSpan Duration,
    string StandardOutput, string StandardError)
{
    /// <summary>True when the process exited with 0 before its time limit.</summary>
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>A report for a failed assertion: the command, how it ended, and the end of both output streams.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"$ {CommandLine}");
        text.AppendLine($"  in {WorkingDirectory}");
        text.AppendLine(TimedOut ? $"  TIMED OUT after {Duration.TotalSeconds:F0} s" : $"  exit code {ExitCode} after {Duration.TotalSeconds:F0} s");
        text.AppendLine("--- standard output (end) ---");
        text.AppendLine(Tail(StandardOutput));
        text.AppendLine("--- standard error (end) ---");
        text.AppendLine(Tail(StandardError));
        return text.ToString();
    }

    private static string Tail(string text) => text.Length <= 20_000 ? text : "[...]" + text[^20_000..];
}

/// <summary>Runs a child process to completion with a time limit, capturing its output.</summary>
internal static class ChildProcess
{
    /// <summary>The dotnet host running these tests (so children use the same SDK installation).</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// Runs <paramref name="fileName"/> and waits for it. The environment is this process's, without the variables the
    /// outer <c>dotnet test</c> set for its own MSBuild, with MSBuild node reuse and build servers off (so nothing
    /// outlives the call), plus <paramref name="environment"/> (a null value removes a variable).
    /// </summary>
    public static async Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory,
        TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        }
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        string commandLine = string.Join(" ", new[] { fileName }.Concat(arguments).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {commandLine}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        bool timedOut = false;
        using (var limit = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        return new CommandResult(commandLine, workingDirectory, process.ExitCode, timedOut, clock.Elapsed, await stdout, await stderr);
    }
}
