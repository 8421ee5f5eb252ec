namespace MlNetExt.Regression.Evaluation;

/// <summary>The natural logarithm of the gamma function (Lanczos approximation, g = 7, about 15 significant digits).</summary>
internal static class LogGamma
{
    private static readonly double[] Coefficients =
    {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    };

    private static readonly double[] LogFactorials = BuildLogFactorials(256);

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double Of(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - Of(1 - x);
        x -= 1;
        double a = Coefficients[0];
        for (int i = 1; i < Coefficients.Length; i++) a += Coefficients[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>ln k! = ln Γ(k + 1); exact sums for small whole k.</summary>
    public static double LogFactorial(double k)
    {
        if (k >= 0 && k < LogFactorials.Length && k == Math.Floor(k)) return LogFactorials[(int)k];
        return Of(k + 1);
    }

    private static double[] BuildLogFactorials(int n)
    {
        var table = new double[n];
        for (int k = 2; k < n; k++) table[k] = table[k - 1] + Math.Log(k);
        return table;
    }
}
