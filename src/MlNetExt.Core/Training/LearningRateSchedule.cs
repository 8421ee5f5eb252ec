namespace MlNetExt.Core.Training;

/// <summary>How the learning rate changes over the optimizer steps of one training call; it is updated before every step.</summary>
public enum LearningRateSchedule
{
    /// <summary>The learning rate stays at <see cref="NeuralTrainerOptions.LearningRate"/>.</summary>
    Constant,

    /// <summary>Cosine annealing from the learning rate to 0 over all steps: <c>lr * (1 + cos(pi * step / totalSteps)) / 2</c>.</summary>
    Cosine,

    /// <summary>One-cycle: a cosine warm-up over the first 30% of the steps from <c>lr / 25</c> to <c>lr</c>, then a
    /// cosine anneal to <c>lr / 1e4</c> at the last step.</summary>
    OneCycle,
}
