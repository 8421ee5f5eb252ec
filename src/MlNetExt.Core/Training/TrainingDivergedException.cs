using TorchSharp;

namespace MlNetExt.Core.Training;

/// <summary>Thrown when a minibatch loss is NaN or infinite. The module holds the best weights seen so far.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="epoch">The 1-based epoch.</param>
    /// <param name="batch">The 0-based minibatch within the epoch.</param>
    /// <param name="loss">The non-finite loss.</param>
    /// <param name="learningRate">The base learning rate of the failing step.</param>
    /// <param name="bestWeights">CPU copies of the best weights (state_dict names); owned by the exception.</param>
    public TrainingDivergedException(int epoch, int batch, double loss, double learningRate,
        IReadOnlyDictionary<string, torch.Tensor> bestWeights)
        : base($"Training diverged: the loss became {loss} at epoch {epoch}, batch {batch} (learning rate {learningRate:G4}). "
            + "Try a lower LearningRate, gradient clipping (GradientClipNorm) or checking the data for extreme values. "
            + "The module holds the best weights seen before the divergence.")
    {
        Epoch = epoch;
        Batch = batch;
        BestWeights = bestWeights;
    }

    /// <summary>The 1-based epoch in which the loss became non-finite.</summary>
    public int Epoch { get; }

    /// <summary>The 0-based minibatch within the epoch.</summary>
    public int Batch { get; }

    /// <summary>CPU copies of the best weights seen before the divergence, by state_dict name.</summary>
    public IReadOnlyDictionary<string, torch.Tensor> BestWeights { get; }
}
