using System.CommandLine;
using MlNetExt.Cli.Commands;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Runs;

namespace MlNetExt.Cli;

/// <summary>The <c>mlnetext</c> command tree and its error handling: bad input prints one line and exits with 2,
/// internal errors exit with 1 and point to a log file.</summary>
internal static class CliApplication
{
    /// <summary>The command users type (the dotnet tool's command name).</summary>
    public const string ToolName = "mlnetext";

    public static int Run(string[] args)
    {
        var commandLine = new CommandLineText(args);
        // Not RootCommand: it names itself after the entry assembly (MlNetExt.Cli), but the tool is installed and documented as
        // mlnetext, so help and usage lines must say that whether it runs as the tool or with dotnet run / dotnet MlNetExt.Cli.dll.
        var root = new Command(ToolName, "mlnetext: a Model Builder-style workflow for MlNetExt (ML.NET deep-learning plugins): train a scenario "
            + "into a run folder (model.zip, model.onnx, config.json, metrics.json, history.csv, report.html, consume/), then evaluate, predict, export or replay it.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(CountRegressionCommand.Create(commandLine));
        root.Subcommands.Add(UncertaintyRegressionCommand.Create(commandLine));
        root.Subcommands.Add(ImageClassificationCommand.Create(commandLine));
        root.Subcommands.Add(ImageEmbeddingCommand.Create(commandLine));
        root.Subcommands.Add(CcaCommand.Create(commandLine));
        root.Subcommands.Add(EvaluateCommand.Create(commandLine));
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create(commandLine));
        root.Subcommands.Add(AugmentPreviewCommand.Create());

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors.Take(1))
                ToolConsole.Error($"error: {error.Message} (see mlnetext {CommandPath(parsed)}--help)");
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e) when (BadInput.Is(e))
        {
            ToolConsole.Error("error: " + TrainingRunner.FirstLine(BadInput.Message(e)));
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            string log = Path.Combine(Path.GetTempPath(), $"mlnetext-error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
            File.WriteAllText(log, $"{commandLine.Text}\n{e}\n");
            ToolConsole.Error($"internal error: {e.GetType().Name}: {TrainingRunner.FirstLine(e.Message)}");
            ToolConsole.Error($"details: {log}");
            return ExitCodes.InternalError;
        }
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null && result.Command.Name != ToolName; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        return names.Count == 0 ? "" : string.Join(' ', names) + " ";
    }
}
