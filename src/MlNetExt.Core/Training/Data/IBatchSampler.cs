namespace MlNetExt.Core.Training;

/// <summary>Chooses which rows form each training minibatch, in place of <see cref="NeuralTrainingLoop"/>'s shuffled
/// consecutive batches: for example P x K class-balanced batches for metric learning, or resampled rare classes.
/// Works on in-memory training data (<see cref="DataViewTensorSource.IsInMemory"/>).</summary>
public interface IBatchSampler
{
    /// <summary>Minibatches per epoch (the learning-rate schedule's horizon is this times the epochs).</summary>
    long BatchCount { get; }

    /// <summary>The minibatches of one epoch as 0-based row indices into the training data; the same seed gives the same
    /// batches.</summary>
    /// <param name="seed">The epoch's seed (the loop derives it from its seed, the call and the epoch).</param>
    IEnumerable<long[]> Epoch(int seed);
}
