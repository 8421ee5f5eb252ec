namespace MlNetExt.Regression.Counts;

/// <summary>What <see cref="NeuralPoissonOptions"/> trains by.</summary>
public enum CountLoss
{
    /// <summary>Poisson negative log-likelihood μ - k ln μ + ln k! (the default).</summary>
    PoissonNegativeLogLikelihood,

    /// <summary>
    /// Squared error (μ - k)² on the expected count, with the same log-link network: a baseline that shows
    /// what the likelihood buys. Reported losses are then mean squared errors.
    /// </summary>
    SquaredError,
}
