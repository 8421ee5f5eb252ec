namespace MlNetExt.Regression.Uncertainty;

/// <summary>The standard normal distribution's log density and quantile function.</summary>
internal static class StandardNormal
{
    /// <summary>0.5 * log(2 * pi): the constant part of the Gaussian negative log-likelihood.</summary>
    public const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>
    /// The quantile (inverse CDF) of the standard normal distribution, by Acklam's rational approximation
    /// (relative error below 1.2e-9 over the whole range).
    /// </summary>
    public static double Quantile(double p)
    {
        if (!(p > 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "Probability must lie strictly between 0 and 1.");

        const double low = 0.02425, high = 1 - low;
        if (p < low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return TailNumerator(q) / TailDenominator(q);
        }
        if (p > high)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -TailNumerator(q) / TailDenominator(q);
        }
        double r = p - 0.5, s = r * r;
        double numerator = (((((-3.969683028665376e+01 * s + 2.209460984245205e+02) * s - 2.759285104469687e+02) * s
            + 1.383577518672690e+02) * s - 3.066479806614716e+01) * s + 2.506628277459239e+00) * r;
        double denominator = ((((-5.447609879822406e+01 * s + 1.615858368580409e+02) * s - 1.556989798598866e+02) * s
            + 6.680131188771972e+01) * s - 1.328068155288572e+01) * s + 1;
        return numerator / denominator;
    }

    /// <summary>The half-width, in standard deviations, of the central interval holding <paramref name="level"/> of the mass.</summary>
    public static double CentralIntervalHalfWidth(double level) => Quantile(0.5 + level / 2);

    private static double TailNumerator(double q) =>
        ((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
            - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00;

    private static double TailDenominator(double q) =>
        (((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
            + 3.754408661907416e+00) * q + 1;
}
