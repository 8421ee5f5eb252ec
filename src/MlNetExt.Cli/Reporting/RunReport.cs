using System.Globalization;
using System.Text;
using MlNetExt.Cli.Runs;
using MlNetExt.Cli.Scenarios;
using MlNetExt.Core.Training;

namespace MlNetExt.Cli.Reporting;

/// <summary>Builds report.html of a training run: summary, data, training curves, held-out metrics and the scenario's
/// plots, timings and environment.</summary>
internal static class RunReport
{
    public static string Build(ITrainingScenario scenario, TrainedRun run, RunMetrics metrics, RunConfig config, RunTimings timings, string runFolder)
    {
        var report = new HtmlReport($"mlnetext {scenario.Name}", $"{scenario.Title} · {Path.GetFileName(runFolder)} · {config.CreatedUtc:yyyy-MM-dd HH:mm} UTC");
        var training = metrics.Training;
        if (training is { StoppedByUser: true })
            report.Banner = $"Training was stopped with Ctrl+C ({training.StoppedAt}); the model holds the best weights so far "
                + $"(epoch {training.BestEpoch} of the last stage). The metrics below are those of that model.";

        report.Add("summary", "Summary", Summary(scenario, run));
        report.Add("data", "Data", run.DataSummaryHtml);
        report.Add("training", "Training", Training(run.History, training));
        AddEvaluation(report, run.Evaluation, "Held-out metrics");
        report.Add("timings", "Timings", Timings(timings));
        report.Add("environment", "Environment", Environment(config));
        return report.Render();
    }

    /// <summary>The metric table (the figures of metrics.json) and the scenario's plots.</summary>
    public static void AddEvaluation(HtmlReport report, Evaluation evaluation, string title)
    {
        var m = evaluation.Metrics;
        report.Add("metrics", $"{title} ({m.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows, {m.EvaluatedOn})",
            HtmlReport.MetricTable(m.Metrics, evaluation.Descriptions));
        foreach (var (id, heading, html) in evaluation.Sections)
            report.Add(id, heading, html);
    }

    public static string Summary(ITrainingScenario scenario, TrainedRun run) => HtmlReport.Paragraph(run.Evaluation.Headline)
        + HtmlReport.Table(["file", "content"],
        [
            [RunFolder.ModelFile, "the fitted ML.NET pipeline (standard transformers; loads with Microsoft.ML + OnnxTransformer + ONNX Runtime)"],
            [RunFolder.OnnxFile, run.OnnxDescription],
            [RunFolder.ConfigFile, $"every resolved option; 'mlnetext replay' trains the {scenario.Name} run again"],
            [RunFolder.MetricsFile, "the held-out metrics in this report"],
            [RunFolder.HistoryFile, "losses, validation metrics, learning rate and time of every epoch"],
            [RunFolder.SplitFile, "which rows (or images) were train, validation and test"],
            [RunFolder.ConsumeFolder + "/", "a C# console app that loads model.zip and predicts the first example (dotnet run)"],
        ]);

    public static string Training(RunHistory history, TrainingSummary? summary)
    {
        var html = new StringBuilder();
        if (history.Count == 0)
            return HtmlReport.Paragraph("No per-epoch history: the model is fitted in closed form, or its trainer does not report epochs.");
        html.Append(HtmlReport.Table(["stage", "epochs run", "best epoch", "best validation loss", "stopped early"],
            history.Stages.Select(s => (IReadOnlyList<string>)[s.Stage, s.EpochsRun.ToString(CultureInfo.InvariantCulture),
                s.BestEpoch.ToString(CultureInfo.InvariantCulture), s.BestValidationLoss is double v ? HtmlReport.Number(v) : "-",
                s.StoppedEarly ? "yes" : "no"])));
        if (summary is not null)
            html.Append(HtmlReport.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"Training took {summary.TrainingSeconds:F1} s; {summary.EpochsRun} epochs in all; the model holds the weights of epoch {summary.BestEpoch} of the last stage.")));
        html.Append(HtmlReport.Figure(Charts.TrainingCurves(history), "Training and validation loss per epoch"));
        var metric = history.SelectMany(p => p.Metrics.Keys).FirstOrDefault();
        if (metric is not null)
            html.Append(HtmlReport.Figure(Charts.MetricCurve(history, metric), $"Validation {metric} per epoch"));
        return html.ToString();
    }

    public static string Timings(RunTimings timings) => HtmlReport.Table(["phase", "seconds"],
        timings.Phases.Select(p => (IReadOnlyList<string>)[p.Phase, p.Duration.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)]));

    public static string Environment(RunConfig config)
    {
        var env = config.Environment;
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "command", config.CommandLine },
            new[] { ".NET", env.Dotnet },
            new[] { "operating system", $"{env.OperatingSystem} ({env.Architecture})" },
            new[] { "processors", env.ProcessorCount.ToString(CultureInfo.InvariantCulture) },
            new[] { "machine", env.MachineName },
        };
        rows.AddRange(env.Packages.Select(p => (IReadOnlyList<string>)[p.Key, p.Value]));
        return HtmlReport.Table(["", ""], rows) + "<h3>Settings (config.json)</h3><pre>" + HtmlReport.Encode(CliJson.Serialize(config.Settings)) + "</pre>";
    }
}
