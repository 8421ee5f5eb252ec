namespace MlNetExt.Core.Training;

/// <summary>The optimizer a neural trainer uses.</summary>
public enum OptimizerKind
{
    /// <summary>Adam; <see cref="NeuralTrainerOptions.WeightDecay"/> is an L2 penalty added to the gradient.</summary>
    Adam,

    /// <summary>AdamW; <see cref="NeuralTrainerOptions.WeightDecay"/> is decoupled weight decay.</summary>
    AdamW,

    /// <summary>Stochastic gradient descent with <see cref="NeuralTrainerOptions.Momentum"/> (Nesterov off);
    /// <see cref="NeuralTrainerOptions.WeightDecay"/> is an L2 penalty.</summary>
    Sgd,
}
