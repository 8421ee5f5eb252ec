using System.Globalization;
using System.Text;
using MlNetExt.Core.Training;

namespace MlNetExt.Cli.Runs;

/// <summary>history.csv: one row per epoch of every stage: losses, every validation metric, learning rate and time.</summary>
internal static class HistoryCsv
{
    public static string Write(IReadOnlyList<TrainingProgress> history)
    {
        string[] metrics = history.SelectMany(p => p.Metrics.Keys).Distinct(StringComparer.Ordinal).ToArray();
        var text = new StringBuilder("stage,epoch,total_epochs,train_loss,validation_loss");
        foreach (var metric in metrics)
            text.Append(",validation_").Append(metric.Replace(',', '_'));
        text.Append(",learning_rate,elapsed_seconds\n");
        foreach (var p in history)
        {
            text.Append(Quote(p.Stage)).Append(',').Append(p.Epoch.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(p.TotalEpochs.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(Number(p.TrainLoss)).Append(',').Append(p.ValidationLoss is double v ? Number(v) : "");
            foreach (var metric in metrics)
                text.Append(',').Append(p.Metrics.TryGetValue(metric, out var value) ? Number(value) : "");
            text.Append(',').Append(Number(p.LearningRate)).Append(',').Append(Number(p.Elapsed.TotalSeconds)).Append('\n');
        }
        return text.ToString();
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string text) => text.IndexOfAny([',', '"']) < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
