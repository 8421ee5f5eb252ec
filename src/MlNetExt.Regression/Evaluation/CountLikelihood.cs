namespace MlNetExt.Regression.Evaluation;

/// <summary>Per-observation Poisson and negative-binomial (NB2) log-likelihoods and the Poisson deviance.</summary>
internal static class CountLikelihood
{
    /// <summary>ln P(k | Poisson(mu)) = k ln mu - mu - ln k!.</summary>
    public static double PoissonLogLikelihood(double k, double mu)
    {
        if (mu <= 0) return k == 0 ? 0 : double.NegativeInfinity;
        return (k == 0 ? 0 : k * Math.Log(mu)) - mu - LogGamma.LogFactorial(k);
    }

    /// <summary>Poisson unit deviance 2 (k ln(k/mu) - (k - mu)), with 0 ln 0 = 0.</summary>
    public static double PoissonDeviance(double k, double mu)
    {
        if (mu <= 0) return k == 0 ? 0 : double.PositiveInfinity;
        double term = k > 0 ? k * Math.Log(k / mu) : 0;
        return 2 * (term - (k - mu));
    }

    /// <summary>
    /// ln P(k | NB2(mu, alpha)) with Var = mu + alpha mu^2 (alpha = 0 is Poisson); theta = 1/alpha:
    /// ln Γ(k+θ) - ln Γ(θ) - ln k! + θ ln(θ/(θ+μ)) + k ln(μ/(θ+μ)).
    /// </summary>
    public static double NegativeBinomialLogLikelihood(double k, double mu, double alpha)
    {
        if (alpha <= 0) return PoissonLogLikelihood(k, mu);
        if (mu <= 0) return k == 0 ? 0 : double.NegativeInfinity;
        double theta = 1 / alpha;
        double logThetaPlusMu = Math.Log(theta + mu);
        return LogGamma.Of(k + theta) - LogGamma.Of(theta) - LogGamma.LogFactorial(k)
            + theta * (Math.Log(theta) - logThetaPlusMu) + (k == 0 ? 0 : k * (Math.Log(mu) - logThetaPlusMu));
    }
}
