namespace MlNetExt.Core.Training;

/// <summary>Passes every epoch's <see cref="TrainingProgress"/> to a delegate (<see cref="NeuralTrainerOptions.Progress"/>).</summary>
public sealed class ProgressCallback : ITrainingCallback
{
    private readonly Action<TrainingProgress> _report;

    /// <summary>Creates the callback.</summary>
    /// <param name="report">Called at the end of every epoch.</param>
    public ProgressCallback(Action<TrainingProgress> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _report = report;
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext context, TrainingProgress progress) => _report(progress);
}
