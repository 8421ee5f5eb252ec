using static TorchSharp.torch;

namespace MlNetExt.Regression.Counts;

/// <summary>Mean per-observation losses of count models, as true negative log-likelihoods (ln k! included).</summary>
internal static class CountLosses
{
    /// <summary>Poisson NLL exp(η) - k η + ln Γ(k + 1), with η the log of the expected count.</summary>
    public static Tensor Poisson(Tensor logMu, Tensor k)
        => (logMu.exp() - k * logMu + (k + 1).lgamma()).mean();

    /// <summary>
    /// NB2 NLL with θ = 1/α: -[ln Γ(k+θ) - ln Γ(θ) - ln Γ(k+1) + θ (ln θ - ln(θ+μ)) + k (η - ln(θ+μ))].
    /// <paramref name="alpha"/> is [outputs] and broadcasts over rows.
    /// </summary>
    public static Tensor NegativeBinomial(Tensor logMu, Tensor k, Tensor alpha)
    {
        var logTheta = -alpha.log();
        var theta = logTheta.exp();
        var logThetaPlusMu = logaddexp(logTheta, logMu);
        var logLikelihood = (k + theta).lgamma() - theta.lgamma() - (k + 1).lgamma()
            + theta * (logTheta - logThetaPlusMu) + k * (logMu - logThetaPlusMu);
        return -logLikelihood.mean();
    }

    /// <summary>Squared error (exp(η) - k)².</summary>
    public static Tensor SquaredError(Tensor logMu, Tensor k) => (logMu.exp() - k).square().mean();
}
