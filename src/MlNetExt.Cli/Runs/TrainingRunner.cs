using System.Globalization;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Consumption;
using MlNetExt.Cli.Reporting;
using MlNetExt.Cli.Scenarios;
using MlNetExt.Core.Training;
using Microsoft.ML;
using TorchSharp;

namespace MlNetExt.Cli.Runs;

/// <summary>
/// Runs a training scenario into a run folder: config.json first, then training under the progress display, then
/// model.zip, model.onnx, metrics.json, history.csv, split.csv, report.html and consume/, each written whole. Bad input
/// removes the folder it created (nothing was trained); an internal error keeps it with run.log.
/// </summary>
internal static class TrainingRunner
{
    public static int Run(ITrainingScenario scenario, TrainingSettings settings, string? output, string commandLine, ToolConsole console)
    {
        var folder = RunFolder.Create(output ?? RunFolder.DefaultPath("runs", scenario.Name));
        bool complete = false;
        var log = new RunLog(folder[RunFolder.LogFile]);
        try
        {
            using var interrupt = new InterruptHandler(console);
            var config = RunConfig.For(scenario.Name, settings, commandLine);
            folder.WriteJson(RunFolder.ConfigFile, config);
            log.Write($"mlnetext {scenario.Name}: {commandLine}");
            console.Info($"{scenario.Name}: run folder {folder.Path}");

            var ml = new MLContext(settings.Seed);
            log.Attach(ml);
            if (console.Verbosity == Verbosity.Verbose)
                log.MachineLearningMessage += console.Detail;
            else
                log.MachineLearningMessage += m => { if (m.StartsWith("warning: ", StringComparison.Ordinal)) console.Warning(m["warning: ".Length..]); };
            torch.set_num_threads(settings.Threads);

            var timings = new RunTimings();
            var display = new TrainingProgressDisplay(console, settings.Epochs);
            var context = new ScenarioContext(ml, console, display, interrupt, log, timings);
            TrainedRun run = display.Run(() => scenario.Train(context, settings));
            context.TrainingFinished();

            var metrics = WithTraining(run, timings, interrupt);
            using (timings.Measure("write run folder"))
            {
                ml.DeepLearning().Model.Save(run.Model, run.InputSchema, folder[RunFolder.ModelFile]);
                folder.WriteBytes(RunFolder.OnnxFile, run.Onnx);
                foreach (var (name, bytes) in run.AdditionalOnnx)
                    folder.WriteBytes($"model.{name}.onnx", bytes);
                foreach (var (name, text) in run.AdditionalFiles)
                    folder.WriteText(name, text);
                folder.WriteJson(RunFolder.MetricsFile, metrics);
                folder.WriteText(RunFolder.HistoryFile, HistoryCsv.Write(run.History));
                folder.WriteText(RunFolder.SplitFile, run.SplitCsv);
                ConsumeProjectWriter.Write(folder[RunFolder.ConsumeFolder], run.Consume, scenario.Name);
            }
            folder.WriteText(RunFolder.ReportFile, RunReport.Build(scenario, run, metrics, config, timings, folder.Path));
            complete = true;

            log.Write("run folder complete: " + run.Evaluation.Headline);
            if (interrupt.StoppedTraining)
                console.Warning($"Training was stopped with Ctrl+C ({interrupt.StoppedAt}); the run folder is complete and holds the best model so far "
                    + $"(epoch {metrics.Training!.BestEpoch} of the last stage).");
            console.Info(run.Evaluation.Headline);
            console.Result($"run folder: {folder.Path} (report: {folder[RunFolder.ReportFile]})");
            return interrupt.StoppedTraining ? ExitCodes.Interrupted : ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            log.Write("abandoned with Ctrl+C before training");
            log.Dispose();
            TryDelete(folder.Path);
            ToolConsole.Error("stopped with Ctrl+C before training started; nothing was saved.");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (!complete && BadInput.Is(e))
        {
            log.Dispose();
            TryDelete(folder.Path);   // nothing was trained: leave no half-made run behind
            throw;
        }
        catch (Exception e)
        {
            log.Write("internal error: " + e);
            ToolConsole.Error($"internal error: {e.GetType().Name}: {FirstLine(e.Message)}");
            ToolConsole.Error($"details: {log.Path}");
            return ExitCodes.InternalError;
        }
        finally
        {
            log.Dispose();
        }
    }

    private static RunMetrics WithTraining(TrainedRun run, RunTimings timings, InterruptHandler interrupt)
    {
        var history = run.History;
        var summary = new TrainingSummary(history.Count, history.BestEpoch, history.BestValidationLoss, history.StoppedEarly,
            interrupt.StoppedTraining, interrupt.StoppedAt, Math.Round(timings.Of("train").TotalSeconds, 3));
        var m = run.Evaluation.Metrics;
        return new RunMetrics { Scenario = m.Scenario, EvaluatedOn = m.EvaluatedOn, Rows = m.Rows, Metrics = m.Metrics, Details = m.Details, Training = summary };
    }

    public static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).TrimEnd();
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the folder holds only config.json and run.log.
        }
    }
}
