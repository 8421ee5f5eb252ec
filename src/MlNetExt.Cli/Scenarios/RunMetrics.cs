namespace MlNetExt.Cli.Scenarios;

/// <summary>metrics.json: the held-out figures of a run (or of an evaluation), as the library's evaluator computed them.</summary>
internal sealed class RunMetrics
{
    public required string Scenario { get; init; }

    /// <summary>Which rows were evaluated: "test" (held out by the run's split), or the file or folder evaluated.</summary>
    public required string EvaluatedOn { get; init; }

    public required long Rows { get; init; }

    /// <summary>The headline figures, named after the evaluator's properties (snake_case); the report's metric table.</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>Per-output, per-class or per-level figures.</summary>
    public object? Details { get; init; }

    /// <summary>How training went (absent for evaluations).</summary>
    public TrainingSummary? Training { get; init; }
}

/// <summary>How training ended.</summary>
internal sealed record TrainingSummary(int EpochsRun, int BestEpoch, double? BestValidationLoss, bool StoppedEarly, bool StoppedByUser,
    string? StoppedAt, double TrainingSeconds);
