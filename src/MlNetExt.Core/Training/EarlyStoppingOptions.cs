namespace MlNetExt.Core.Training;

/// <summary>Early stopping on the validation loss, or on a validation metric. Needs validation data; the best weights are
/// restored at the end.</summary>
public sealed class EarlyStoppingOptions
{
    /// <summary>Number of epochs without an improvement larger than <see cref="MinDelta"/> before training stops.</summary>
    public int Patience = 10;

    /// <summary>The smallest improvement (decrease of the loss, or change of <see cref="Metric"/> in its good direction) that
    /// counts.</summary>
    public double MinDelta = 0;

    /// <summary>The metric to watch: a key of <see cref="TrainingProgress.Metrics"/> (for example a triplet embedding's
    /// <c>MeanAveragePrecisionAtR</c>). Null: the validation loss, unless the trainer documents another default.</summary>
    public string? Metric = null;

    /// <summary>With <see cref="Metric"/>: true when larger values are better (accuracy, AUC, MAP@R), false for error-like
    /// metrics. Default true.</summary>
    public bool HigherIsBetter = true;

    /// <summary>The watched quantity of an epoch as a loss (lower is better): the validation loss, or the metric
    /// (negated when higher is better).</summary>
    /// <exception cref="InvalidOperationException"><see cref="Metric"/> is not among the epoch's metrics.</exception>
    internal double? Monitored(TrainingProgress progress)
    {
        if (Metric is null)
            return progress.ValidationLoss;
        if (!progress.Metrics.TryGetValue(Metric, out var value))
            throw new InvalidOperationException(
                $"EarlyStopping.Metric '{Metric}' is not among the epoch's metrics ({(progress.Metrics.Count == 0 ? "none" : string.Join(", ", progress.Metrics.Keys))}).");
        return HigherIsBetter ? -value : value;
    }

    /// <summary>What <see cref="Monitored"/> watches, for messages.</summary>
    internal string MonitoredName => Metric is null ? "validation-loss" : $"'{Metric}'";
}
