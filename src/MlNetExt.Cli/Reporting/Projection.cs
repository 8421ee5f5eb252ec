namespace MlNetExt.Cli.Reporting;

/// <summary>A 2-D view of vectors for the report: their projection on the first two principal components (power iteration
/// on the covariance, deflated once).</summary>
internal static class Projection
{
    public static (double[] X, double[] Y) FirstTwoComponents(float[][] rows)
    {
        int n = rows.Length, d = rows.Length == 0 ? 0 : rows[0].Length;
        var mean = new double[d];
        foreach (var row in rows)
            for (int j = 0; j < d; j++) mean[j] += row[j] / (double)n;
        var centred = rows.Select(r => r.Select((v, j) => v - mean[j]).ToArray()).ToArray();
        var covariance = new double[d, d];
        foreach (var row in centred)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) covariance[a, b] += row[a] * row[b];
        var first = Leading(covariance, d);
        double lambda = Rayleigh(covariance, first, d);
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++) covariance[a, b] -= lambda * first[a] * first[b];
        var second = Leading(covariance, d);
        return (centred.Select(r => Dot(r, first)).ToArray(), centred.Select(r => Dot(r, second)).ToArray());
    }

    private static double[] Leading(double[,] matrix, int d)
    {
        var v = Enumerable.Range(0, d).Select(i => 1.0 / Math.Sqrt(d) * (1 + 0.01 * i)).ToArray();
        for (int iteration = 0; iteration < 200; iteration++)
        {
            var next = new double[d];
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) next[a] += matrix[a, b] * v[b];
            double norm = Math.Sqrt(next.Sum(x => x * x));
            if (norm == 0) return v;
            v = next.Select(x => x / norm).ToArray();
        }
        return v;
    }

    private static double Rayleigh(double[,] matrix, double[] v, int d)
    {
        double sum = 0;
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++) sum += v[a] * matrix[a, b] * v[b];
        return sum;
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
