namespace MlNetExt.Core.Training;

/// <summary>fastai-style hooks into <see cref="NeuralTrainingLoop.Train"/>; early stopping, progress reports, logging
/// and the divergence guard are callbacks. Every method has an empty default.</summary>
public interface ITrainingCallback
{
    /// <summary>Called once before the first epoch.</summary>
    /// <param name="context">The training state.</param>
    void OnTrainBegin(TrainingContext context) { }

    /// <summary>Called after every optimizer step, outside the step's dispose scope; the gradients of the step are still
    /// in the parameters. <see cref="TrainingContext.Batch"/> is the batch's 0-based index within the epoch.</summary>
    /// <param name="context">The training state.</param>
    /// <param name="loss">The batch's mean loss (NaN or infinite when training diverged).</param>
    void OnBatchEnd(TrainingContext context, double loss) { }

    /// <summary>Called after every epoch (and its validation pass); call <see cref="TrainingContext.RequestStop"/> to stop.</summary>
    /// <param name="context">The training state.</param>
    /// <param name="progress">The epoch's losses and metrics.</param>
    void OnEpochEnd(TrainingContext context, TrainingProgress progress) { }

    /// <summary>Called once after training finished normally (not after an exception).</summary>
    /// <param name="context">The training state.</param>
    /// <param name="result">The outcome.</param>
    void OnTrainEnd(TrainingContext context, TrainingResult result) { }
}
