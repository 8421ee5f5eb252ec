namespace MlNetExt.Core.Training;

/// <summary>Stops training with a <see cref="TrainingDivergedException"/> as soon as a minibatch loss is NaN or infinite,
/// after restoring the best weights seen so far.</summary>
public sealed class DivergenceGuardCallback : ITrainingCallback
{
    /// <inheritdoc />
    public void OnBatchEnd(TrainingContext context, double loss)
    {
        if (double.IsFinite(loss))
            return;
        context.RestoreBestWeights();
        context.Log($"Stage '{context.Stage}' diverged at epoch {context.Epoch}, batch {context.Batch} (loss {loss}); "
            + $"restored the weights of epoch {context.BestEpoch}.");
        throw new TrainingDivergedException(context.Epoch, context.Batch, loss, context.LearningRate, context.CopyBestWeights());
    }
}
