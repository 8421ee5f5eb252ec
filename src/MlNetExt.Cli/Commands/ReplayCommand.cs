using System.CommandLine;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Runs;
using MlNetExt.Cli.Scenarios;

namespace MlNetExt.Cli.Commands;

/// <summary><c>mlnetext replay</c>: trains again from a run's config.json (same data, options, seed and thread count:
/// the same metrics on the CPU).</summary>
internal static class ReplayCommand
{
    public static Command Create(CommandLineText commandLine)
    {
        var config = new Argument<string>("config") { Description = "A run's config.json (or its run folder)." };
        var output = new Option<string?>("--output", "-o") { Description = "The new run folder (default: runs/<scenario>-<UTC time>)." };
        var verbosity = new VerbosityOptions();
        var command = new Command("replay", "Train again from a run's config.json: same data, options, seed and threads, so the same metrics on the CPU.");
        command.Arguments.Add(config);
        command.Options.Add(output);
        verbosity.AddTo(command);
        command.SetAction(result =>
        {
            var console = new ToolConsole(verbosity.Get(result));
            var recorded = RunConfig.Read(result.GetValue(config)!);
            var scenario = ScenarioCatalog.Get(recorded.Scenario);
            var settings = recorded.SettingsAs(scenario.SettingsType);
            CommonOptions.Check(settings);
            console.Info($"replaying {recorded.Scenario} of {recorded.CreatedUtc:yyyy-MM-dd HH:mm} UTC ({recorded.CommandLine})");
            return TrainingRunner.Run(scenario, settings, result.GetValue(output), commandLine.Text, console);
        });
        return command;
    }
}
