namespace MlNetExt.Regression.Counts;

/// <summary>Options of the neural Poisson regression trainer.</summary>
public sealed class NeuralPoissonOptions : NeuralCountTrainerOptions
{
    /// <summary>The training loss: the Poisson NLL (default) or squared error, as a baseline.</summary>
    public CountLoss Loss = CountLoss.PoissonNegativeLogLikelihood;
}
