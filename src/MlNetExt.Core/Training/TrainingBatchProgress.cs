namespace MlNetExt.Core.Training;

/// <summary>The state of training after one minibatch (<see cref="NeuralTrainerOptions.BatchProgress"/>).</summary>
/// <param name="Stage">The stage being trained (for example "train", "head", "fine-tune").</param>
/// <param name="Epoch">The 1-based epoch within the stage.</param>
/// <param name="TotalEpochs">The number of epochs the stage was asked to run.</param>
/// <param name="Batch">The 1-based minibatch within the epoch.</param>
/// <param name="BatchesPerEpoch">Minibatches per epoch.</param>
/// <param name="Rows">Rows in this minibatch.</param>
/// <param name="Loss">The minibatch's mean loss.</param>
/// <param name="LearningRate">The base learning rate of the step.</param>
/// <param name="Elapsed">Time since the stage started.</param>
public sealed record TrainingBatchProgress(string Stage, int Epoch, int TotalEpochs, int Batch, long BatchesPerEpoch, long Rows,
    double Loss, double LearningRate, TimeSpan Elapsed);
