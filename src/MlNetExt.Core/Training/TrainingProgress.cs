namespace MlNetExt.Core.Training;

/// <summary>The state of training at the end of one epoch.</summary>
/// <param name="Stage">The stage being trained (for example "train", "head", "fine-tune").</param>
/// <param name="Epoch">The 1-based epoch within the stage.</param>
/// <param name="TotalEpochs">The number of epochs the stage was asked to run.</param>
/// <param name="TrainLoss">The row-weighted mean training loss of the epoch.</param>
/// <param name="ValidationLoss">The row-weighted mean validation loss, or null without validation data.</param>
/// <param name="LearningRate">The base learning rate used by the epoch's last step.</param>
/// <param name="Elapsed">Time since the stage started.</param>
/// <param name="Metrics">Validation metrics (row-weighted means over validation batches, or computed over the whole
/// validation set) and the trainer's own per-epoch diagnostics; empty without them.</param>
public sealed record TrainingProgress(string Stage, int Epoch, int TotalEpochs, double TrainLoss,
    double? ValidationLoss, double LearningRate, TimeSpan Elapsed, IReadOnlyDictionary<string, double> Metrics);
