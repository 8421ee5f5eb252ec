using MlNetExt.Core.Training;

namespace MlNetExt.Vision.Classification;

/// <summary>Tracks the epoch in progress (counting on across stages), so the augmenter draws fresh parameters each epoch.</summary>
internal sealed class EpochCounter : ITrainingCallback
{
    private int _offset;

    /// <summary>The epoch in progress, unique across all stages of one fit.</summary>
    public int Current { get; private set; }

    public void OnTrainBegin(TrainingContext context) => Current = _offset + 1;

    public void OnEpochEnd(TrainingContext context, TrainingProgress progress) => Current = _offset + progress.Epoch + 1;

    public void OnTrainEnd(TrainingContext context, TrainingResult result) => _offset += result.EpochsRun;
}
