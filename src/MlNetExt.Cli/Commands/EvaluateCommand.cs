using System.CommandLine;
using Microsoft.ML;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Reporting;
using MlNetExt.Cli.Runs;
using MlNetExt.Cli.Scenarios;

namespace MlNetExt.Cli.Commands;

/// <summary><c>mlnetext evaluate</c>: a trained run's model on new data, with the same metrics and report as training.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CommandLineText commandLine)
    {
        var model = new Option<string>("--model", "-m") { Description = "A run folder (or its model.zip).", Required = true };
        var data = new Option<string>("--data", "-d") { Description = "New data in the run's format (a CSV/TSV file or an image folder).", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "The evaluation folder to create (default: runs/evaluate-<UTC time>)." };
        var verbosity = new VerbosityOptions();
        var command = new Command("evaluate", "Evaluate a trained run's model on new data: metrics.json and report.html in a new folder.");
        command.Options.Add(model);
        command.Options.Add(data);
        command.Options.Add(output);
        verbosity.AddTo(command);
        command.SetAction(result =>
        {
            var console = new ToolConsole(verbosity.Get(result));
            var run = RunLocation.Find(result.GetValue(model)!, "--model");
            var config = run.ReadConfig("evaluate");
            var scenario = ScenarioCatalog.Get(config.Scenario);
            var settings = config.SettingsAs(scenario.SettingsType);
            string dataPath = Path.GetFullPath(result.GetValue(data)!);
            if (!File.Exists(dataPath) && !Directory.Exists(dataPath))
                throw new UserInputException($"--data '{result.GetValue(data)}' does not exist.");

            var folder = RunFolder.Create(result.GetValue(output) ?? RunFolder.DefaultPath("runs", "evaluate"));
            using var log = new RunLog(folder[RunFolder.LogFile]);
            try
            {
                var ml = new MLContext(settings.Seed);
                log.Attach(ml);
                var timings = new RunTimings();
                var loaded = timings.Measure("load model", () => ml.DeepLearning().Model.Load(run.Model, out _));
                using var interrupt = new InterruptHandler(console);
                var context = new ScenarioContext(ml, console, new TrainingProgressDisplay(console, 1), interrupt, log, timings);
                var (evaluation, dataSummary) = scenario.Evaluate(context, settings, loaded, dataPath);
                folder.WriteJson(RunFolder.MetricsFile, evaluation.Metrics);
                var report = new HtmlReport($"mlnetext evaluate ({scenario.Name})", $"{run.Model} on {dataPath}");
                report.Add("summary", "Summary", HtmlReport.Paragraph(evaluation.Headline)
                    + HtmlReport.Table(["", ""], [["model", run.Model], ["trained by", config.CommandLine], ["data", dataPath]]));
                report.Add("data", "Data", dataSummary);
                RunReport.AddEvaluation(report, evaluation, "Metrics");
                report.Add("timings", "Timings", RunReport.Timings(timings));
                report.Add("environment", "Environment", RunReport.Environment(RunConfig.For(scenario.Name, settings, commandLine.Text)));
                folder.WriteText(RunFolder.ReportFile, report.Render());
                console.Info(evaluation.Headline);
                console.Result($"evaluation folder: {folder.Path} (report: {folder[RunFolder.ReportFile]})");
                return ExitCodes.Success;
            }
            catch (Exception e) when (!BadInput.Is(e))
            {
                log.Write("internal error: " + e);
                ToolConsole.Error($"internal error: {e.GetType().Name}: {TrainingRunner.FirstLine(e.Message)}");
                ToolConsole.Error($"details: {log.Path}");
                return ExitCodes.InternalError;
            }
        });
        return command;
    }
}
