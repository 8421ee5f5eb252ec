using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>--help and --version of the tool, run as `dotnet MlNetExt.Cli.dll` like the tests run it.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("", "mlnetext [command] [options]")]
    [InlineData("cca", "mlnetext cca [options]")]
    [InlineData("image-classification", "mlnetext image-classification [options]")]
    public void Help_names_the_tool_mlnetext_not_its_assembly(string command, string usage)
    {
        using var temp = new TempFolder();
        var help = CliRun.Run(temp.Path, [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains(usage, help.StandardOutput);
        Assert.DoesNotContain("MlNetExt.Cli", help.StandardOutput);
    }

    [Fact]
    public void Version_prints_the_tool_version()
    {
        using var temp = new TempFolder();
        var version = CliRun.Run(temp.Path, "--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", version.StandardOutput.Trim());
    }
}
