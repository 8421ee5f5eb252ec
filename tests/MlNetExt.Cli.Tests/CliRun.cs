using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace MlNetExt.Cli.Tests;

/// <summary>One finished run of the tool: exit code and everything it printed.</summary>
public sealed record CliResult(string Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>For assertion messages.</summary>
    public override string ToString() =>
        $"$ mlnetext {Arguments}\nexit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>Runs the built mlnetext tool (src/MlNetExt.Cli's output, same configuration) as a child process.</summary>
public static class CliRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <summary>The tool's dll, built next to this test project with the same configuration and framework.</summary>
    public static string ToolPath
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string tfm = dir.Name, configuration = dir.Parent!.Name;
            string repository = dir.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(repository, "src", "MlNetExt.Cli", "bin", configuration, tfm, "MlNetExt.Cli.dll");
        }
    }

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <c>mlnetext args</c> in <paramref name="workingDirectory"/> and waits for it.</summary>
    public static CliResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, args);

    /// <summary>Runs the tool; <paramref name="onOutputLine"/> sees each standard-output line as it is printed (with the process).</summary>
    public static CliResult Run(string workingDirectory, Action<Process, string>? onOutputLine, params string[] args)
    {
        var start = new ProcessStartInfo(Dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            onOutputLine?.Invoke(process, e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
        };
        if (!File.Exists(ToolPath))
            throw new FileNotFoundException($"the tool is not built: {ToolPath}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mlnetext {string.Join(' ', args)} ran longer than {Limit}:\n{stdout}\n{stderr}");
        }
        process.WaitForExit();
        return new CliResult(string.Join(' ', args), process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// True when this process ignores SIGINT (Linux /proc/self/status SigIgn), as a non-interactive shell's background job
    /// (<c>dotnet test &amp;</c>) does. Children inherit the ignored disposition through exec and .NET then installs no
    /// handler, so the tool cannot see a SIGINT sent to it: the Ctrl+C test is skipped rather than left to time out.
    /// </summary>
    public static bool SigIntIgnored
    {
        get
        {
            const string status = "/proc/self/status";
            if (!File.Exists(status))
                return false;
            string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
        }
    }

    /// <summary>Sends SIGINT (what Ctrl+C sends) to a process.</summary>
    public static void Interrupt(Process process)
    {
        if (kill(process.Id, 2) != 0)
            throw new InvalidOperationException($"kill(SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
