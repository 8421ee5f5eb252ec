using System.CommandLine;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Runs;
using MlNetExt.Cli.Scenarios;
using MlNetExt.Cli.Scenarios.Tabular;

namespace MlNetExt.Cli.Commands;

/// <summary>The shape of a tabular training command: the file and column-role options, the scenario's own options, the
/// common training options; the action resolves the settings over the scenario's defaults and runs the scenario.</summary>
internal static class TabularCommand
{
    /// <param name="commandLine">The command line, for config.json.</param>
    /// <param name="scenario">The scenario the command runs.</param>
    /// <param name="description">The command's help text.</param>
    /// <param name="options">The scenario's own options (shown after the data options).</param>
    /// <param name="defaults">The scenario's defaults for the common options.</param>
    /// <param name="apply">Applies and checks the scenario's own options.</param>
    public static Command Create<TSettings>(CommandLineText commandLine, ITrainingScenario scenario, string description, Option[] options,
        TSettings defaults, Func<ParseResult, TSettings, TSettings> apply) where TSettings : TabularSettings
    {
        var common = new CommonOptions();
        var tabular = new TabularOptions();
        var command = new Command(scenario.Name, description);
        tabular.AddTo(command);
        foreach (var option in options)
            command.Options.Add(option);
        common.AddTo(command);
        command.SetAction(result =>
        {
            var console = new ToolConsole(common.Verbosity.Get(result));
            var settings = apply(result, tabular.Apply(result, common.Apply(result, defaults)));
            settings = (TSettings)((TabularSettings)settings with { Features = TabularData.ResolveFeatures(settings) });
            return TrainingRunner.Run(scenario, settings, result.GetValue(common.Output), commandLine.Text, console);
        });
        return command;
    }
}
