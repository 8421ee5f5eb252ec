using MlNetExt.Core.Torch;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Gaussian;

/// <summary>Gaussian negative log-likelihood and its beta-weighted variant (Seitzer et al., 2022).</summary>
internal static class GaussianLoss
{
    /// <summary>0.5 * log(2 * pi).</summary>
    public const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>Elementwise 0.5*log(2*pi) + log(sigma) + 0.5*((label - mean)/sigma)^2.</summary>
    public static Tensor NegativeLogLikelihood(Tensor mean, Tensor stdDev, Tensor label)
    {
        using var z = (label - mean).div_(stdDev);
        using var logSigma = stdDev.log();
        return z.Squared().TimesInPlace(0.5).PlusInPlace(logSigma).PlusInPlace(HalfLogTwoPi);
    }

    /// <summary>
    /// The mean over rows and coordinates of stop_gradient(sigma^(2*beta)) * NLL, where the NLL is expressed in
    /// label units by adding log(labelScale) to the NLL of standardised values (a constant: it changes the reported
    /// loss, not the gradients). With beta = 0 this is the plain mean NLL in label units; beta = 0.5 keeps large
    /// predicted variances from starving the mean's gradient.
    /// </summary>
    /// <param name="mean">Predicted means, standardised, [N, k].</param>
    /// <param name="stdDev">Predicted standard deviations, standardised, [N, k].</param>
    /// <param name="label">Standardised labels, [N, k].</param>
    /// <param name="logLabelScale">log of each coordinate's label scale, [k].</param>
    /// <param name="beta">The beta exponent; 0 for the plain NLL.</param>
    public static Tensor BetaNegativeLogLikelihood(Tensor mean, Tensor stdDev, Tensor label, Tensor logLabelScale, float beta)
    {
        var nll = NegativeLogLikelihood(mean, stdDev, label).PlusInPlace(logLabelScale);
        if (beta != 0)
        {
            using var weight = stdDev.detach().Power(2 * beta);
            nll.mul_(weight);
        }
        return nll.mean();
    }
}
