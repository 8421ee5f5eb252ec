namespace MlNetExt.Regression.Counts;

/// <summary>
/// Options of the neural negative-binomial (NB2) regression trainer: Var[k] = μ + α μ², with one dispersion
/// α &gt; 0 per output, learnt as α = softplus(ρ). α → 0 is the Poisson model; θ = 1/α is the NB "size".
/// </summary>
public sealed class NeuralNegativeBinomialOptions : NeuralCountTrainerOptions
{
    /// <summary>Starting dispersion α of every output.</summary>
    public float InitialDispersion = 0.1f;
}
