using MlNetExt.Core.Torch;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Counts;

/// <summary>Mean per-observation losses of count models, as true negative log-likelihoods (ln k! included).</summary>
internal static class CountLosses
{
    /// <summary>Poisson NLL exp(η) - k η + ln Γ(k + 1), with η the log of the expected count.</summary>
    public static Tensor Poisson(Tensor logMu, Tensor k)
        => (logMu.exp() - k * logMu).Plus(k.Plus(1).lgamma()).mean();

    /// <summary>
    /// NB2 NLL with θ = 1/α: -[ln Γ(k+θ) - ln Γ(θ) - ln Γ(k+1) + θ (ln θ - ln(θ+μ)) + k (η - ln(θ+μ))].
    /// <paramref name="alpha"/> is [outputs] and broadcasts over rows.
    /// </summary>
    public static Tensor NegativeBinomial(Tensor logMu, Tensor k, Tensor alpha)
    {
        var logTheta = -alpha.log();
        var theta = logTheta.exp();
        var logThetaPlusMu = logaddexp(logTheta, logMu);
        var logLikelihood = (k.Plus(theta).lgamma() - theta.lgamma() - k.Plus(1).lgamma())
            .Plus(theta * (logTheta - logThetaPlusMu)).Plus(k * (logMu - logThetaPlusMu));
        return -logLikelihood.mean();
    }

    /// <summary>Squared error (exp(η) - k)².</summary>
    public static Tensor SquaredError(Tensor logMu, Tensor k) => (logMu.exp() - k).Squared().mean();
}
