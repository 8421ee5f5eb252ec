namespace MlNetExt.Regression.Uncertainty;

/// <summary>Computes <see cref="UncertaintyMetrics"/> from labels, means and standard deviations held in memory.</summary>
internal static class UncertaintyMetricsCalculator
{
    /// <summary>The central-interval levels evaluated when the caller names none.</summary>
    public static readonly IReadOnlyList<double> DefaultCoverageLevels = [0.5, 0.68, 0.9, 0.95];

    /// <summary>
    /// Metrics over row-major [rows, coordinates] arrays. Values must be finite and standard deviations positive
    /// (the data reader checks that). Per-coordinate figures are computed when <paramref name="perOutput"/> is set.
    /// </summary>
    public static UncertaintyMetrics Compute(float[] labels, float[] means, float[] stdDevs, int coordinates,
        IReadOnlyList<double> levels, bool perOutput)
    {
        long rows = labels.Length / coordinates;
        var pooled = ComputeOne(labels, means, stdDevs, levels, start: 0, stride: 1, rows);
        if (!perOutput)
            return pooled;
        var each = new UncertaintyMetrics[coordinates];
        for (int c = 0; c < coordinates; c++)
            each[c] = ComputeOne(labels, means, stdDevs, levels, start: c, stride: coordinates, rows);
        return new UncertaintyMetrics(rows, labels.Length, pooled.MeanNegativeLogLikelihood, pooled.RootMeanSquaredError,
            pooled.MeanAbsoluteError, pooled.Coverage, pooled.MeanStdDev, pooled.ErrorStdDevPearsonCorrelation,
            pooled.ErrorStdDevSpearmanCorrelation, each);
    }

    private static UncertaintyMetrics ComputeOne(float[] labels, float[] means, float[] stdDevs,
        IReadOnlyList<double> levels, int start, int stride, long rows)
    {
        var halfWidths = levels.Select(StandardNormal.CentralIntervalHalfWidth).ToArray();
        var inside = new long[levels.Count];
        var absErrors = new List<double>(labels.Length / stride + 1);
        var sigmas = new List<double>(absErrors.Capacity);
        double nll = 0, squared = 0, absolute = 0, sigmaSum = 0;
        for (int i = start; i < labels.Length; i += stride)
        {
            double error = (double)labels[i] - means[i], sigma = stdDevs[i];
            double z = Math.Abs(error) / sigma;
            nll += StandardNormal.HalfLogTwoPi + Math.Log(sigma) + 0.5 * z * z;
            squared += error * error;
            absolute += Math.Abs(error);
            sigmaSum += sigma;
            for (int l = 0; l < halfWidths.Length; l++)
                if (z <= halfWidths[l]) inside[l]++;
            absErrors.Add(Math.Abs(error));
            sigmas.Add(sigma);
        }
        int n = absErrors.Count;
        var coverage = levels.Select((level, l) => new IntervalCoverage(level, (double)inside[l] / n)).ToArray();
        return new UncertaintyMetrics(rows, n, nll / n, Math.Sqrt(squared / n), absolute / n, coverage, sigmaSum / n,
            Correlation.Pearson(absErrors, sigmas), Correlation.Spearman(absErrors, sigmas), []);
    }
}
