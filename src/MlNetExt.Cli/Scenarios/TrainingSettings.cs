namespace MlNetExt.Cli.Scenarios;

/// <summary>
/// The resolved options every training scenario has. A scenario's settings record derives from this one; the whole record
/// is written to config.json, and <c>mlnetext replay</c> reads it back and trains again with exactly these values.
/// </summary>
internal abstract record TrainingSettings
{
    /// <summary>Seed of the MLContext, the data split and the trainer (initialisation, shuffling, augmentation).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>libtorch threads; training is reproducible for a given seed and thread count on the CPU.</summary>
    public int Threads { get; init; } = 1;

    public int Epochs { get; init; }

    public int BatchSize { get; init; }

    public float LearningRate { get; init; }

    /// <summary>Fraction of the rows held out for the run's metrics (when no separate test data is given).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Fraction of the remaining rows used for validation (best epoch, early stopping) when no separate validation data is given.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Stop when the validation loss has not improved for this many epochs (restoring the best weights); null: off.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>The TorchSharp device ("cpu", "cuda").</summary>
    public string Device { get; init; } = "cpu";
}
