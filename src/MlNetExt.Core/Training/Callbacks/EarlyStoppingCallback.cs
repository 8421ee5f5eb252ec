namespace MlNetExt.Core.Training;

/// <summary>Stops training when the validation loss (or <see cref="EarlyStoppingOptions.Metric"/>) has not improved by more
/// than <see cref="EarlyStoppingOptions.MinDelta"/> for <see cref="EarlyStoppingOptions.Patience"/> epochs, and has the best
/// weights restored at the end.</summary>
public sealed class EarlyStoppingCallback : ITrainingCallback
{
    private readonly EarlyStoppingOptions _options;
    private double _best;
    private int _epochsWithoutImprovement;

    /// <summary>Creates the callback.</summary>
    /// <param name="options">Patience and minimum improvement.</param>
    public EarlyStoppingCallback(EarlyStoppingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Patience, 1, nameof(options.Patience));
        if (!(options.MinDelta >= 0))
            throw new ArgumentOutOfRangeException(nameof(options), $"EarlyStopping.MinDelta must be >= 0; found {options.MinDelta}.");
        _options = options;
    }

    /// <inheritdoc />
    public void OnTrainBegin(TrainingContext context)
    {
        if (context.ValidationData is null)
            throw new ArgumentException(
                "EarlyStopping needs validation data: set ValidationSet or ValidationFraction in the trainer's options.", nameof(context));
        context.RestoreBestWeightsAtEnd = true;
        _best = double.PositiveInfinity;
        _epochsWithoutImprovement = 0;
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext context, TrainingProgress progress)
    {
        if (_options.Monitored(progress) is double loss && double.IsFinite(loss) && loss < _best - _options.MinDelta)
        {
            _best = loss;
            _epochsWithoutImprovement = 0;
            return;
        }
        if (++_epochsWithoutImprovement >= _options.Patience)
            context.RequestStop($"early stopping: no {_options.MonitoredName} improvement larger than {_options.MinDelta} for {_options.Patience} epochs");
    }
}
