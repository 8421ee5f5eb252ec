namespace MlNetExt.Core.Training;

/// <summary>What <see cref="NeuralTrainingLoop.Train"/> returns: one training stage.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(string stage, IReadOnlyList<TrainingProgress> history, int epochsRun, int bestEpoch,
        double? bestValidationLoss, bool stoppedEarly)
    {
        Stage = stage;
        History = history;
        EpochsRun = epochsRun;
        BestEpoch = bestEpoch;
        BestValidationLoss = bestValidationLoss;
        StoppedEarly = stoppedEarly;
    }

    /// <summary>The stage name given to <see cref="NeuralTrainingLoop.Train"/> (for example "train", "head", "fine-tune").</summary>
    public string Stage { get; }

    /// <summary>One entry per epoch run.</summary>
    public IReadOnlyList<TrainingProgress> History { get; }

    /// <summary>Number of epochs run.</summary>
    public int EpochsRun { get; }

    /// <summary>The 1-based epoch whose weights the module now holds.</summary>
    public int BestEpoch { get; }

    /// <summary>The lowest validation loss seen, or null without validation data.</summary>
    public double? BestValidationLoss { get; }

    /// <summary>True when early stopping ended training before the requested number of epochs.</summary>
    public bool StoppedEarly { get; }
}
