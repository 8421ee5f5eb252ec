using System.Diagnostics;
using MlNetExt.Tests.Shared;
using Xunit;

namespace MlNetExt.Core.Tests.Pipelines;

/// <summary>Checks that need a process of their own, run through tests/MlNetExt.Core.ReliabilityProbe.</summary>
[Collection(nameof(GcStressCollection))]
public class ReliabilityProbeTests
{
    private static string ProbePath()
    {
        var assemblyDir = Path.GetDirectoryName(typeof(ReliabilityProbeTests).Assembly.Location)!;
        var tfm = new DirectoryInfo(assemblyDir).Name;
        var configuration = new DirectoryInfo(assemblyDir).Parent!.Name;
        var testsDir = Path.GetFullPath(Path.Combine(assemblyDir, "..", "..", "..", ".."));
        return Path.Combine(testsDir, "MlNetExt.Core.ReliabilityProbe", "bin", configuration, tfm, "MlNetExt.Core.ReliabilityProbe.dll");
    }

    private static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var probe = ProbePath();
        Assert.True(File.Exists(probe), $"Build the probe first: {probe}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(probe);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public void Temporary_model_files_are_deleted_when_the_process_exits_without_disposing()
    {
        string directory = Path.Combine(Path.GetTempPath(), "mlnetext-exit-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var (exitCode, output) = Run("temp-files", directory, "4");

            Assert.True(exitCode == 0, output);
            Assert.Contains("files while the transformers are alive: 4", output);
            Assert.Empty(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [Trait("Category", "GcStress")]
    [InlineData("explicit")]
    [InlineData("training-loop")]
    public void Explicit_scalars_survive_forced_collections_in_a_process_of_their_own(string mode)
    {
        var (exitCode, output) = Run("race", mode, "3");

        Assert.True(exitCode == 0, $"exit code {exitCode}: {output}");
        Assert.Contains("survived", output);
        TestContext.Current.TestOutputHelper?.WriteLine(output.Split('\n').Last(l => l.Contains("survived")));
    }
}
