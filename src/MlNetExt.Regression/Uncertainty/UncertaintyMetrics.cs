namespace MlNetExt.Regression.Uncertainty;

/// <summary>
/// Quality of probabilistic regression predictions (a mean and a standard deviation per value): likelihood,
/// accuracy of the mean, calibration of the central intervals, sharpness, and whether the predicted standard
/// deviation ranks the errors. For vector labels the headline figures pool every (row, coordinate) value and
/// <see cref="PerOutput"/> holds the same figures for each coordinate.
/// </summary>
public sealed class UncertaintyMetrics
{
    private readonly long _valueCount;

    internal UncertaintyMetrics(long rowCount, long valueCount, double meanNegativeLogLikelihood, double rootMeanSquaredError,
        double meanAbsoluteError, IReadOnlyList<IntervalCoverage> coverage, double meanStdDev,
        double errorStdDevPearsonCorrelation, double errorStdDevSpearmanCorrelation,
        IReadOnlyList<UncertaintyMetrics> perOutput)
    {
        RowCount = rowCount;
        _valueCount = valueCount;
        MeanNegativeLogLikelihood = meanNegativeLogLikelihood;
        RootMeanSquaredError = rootMeanSquaredError;
        MeanAbsoluteError = meanAbsoluteError;
        Coverage = coverage;
        ExpectedCalibrationError = coverage.Count == 0 ? double.NaN : coverage.Average(c => Math.Abs(c.Observed - c.Level));
        MeanStdDev = meanStdDev;
        ErrorStdDevPearsonCorrelation = errorStdDevPearsonCorrelation;
        ErrorStdDevSpearmanCorrelation = errorStdDevSpearmanCorrelation;
        PerOutput = perOutput;
    }

    /// <summary>Number of rows evaluated.</summary>
    public long RowCount { get; }

    /// <summary>Number of values evaluated: rows times coordinates.</summary>
    [Obsolete("Use RowCount (rows); this is rows times label coordinates, the number of values the figures average over.")]
    public long Count => _valueCount;

    /// <summary>
    /// Mean Gaussian negative log-likelihood of the labels, 0.5*log(2*pi) + log(sigma) + 0.5*((y - mean)/sigma)^2,
    /// in nats per value (lower is better; depends on the label's units).
    /// </summary>
    public double MeanNegativeLogLikelihood { get; }

    /// <summary>Root mean squared error of the predicted mean.</summary>
    public double RootMeanSquaredError { get; }

    /// <summary>Mean absolute error of the predicted mean.</summary>
    public double MeanAbsoluteError { get; }

    /// <summary>Observed coverage of the central intervals mean +- z*sigma, one entry per requested level, in request order.</summary>
    public IReadOnlyList<IntervalCoverage> Coverage { get; }

    /// <summary>Expected calibration error: the mean over <see cref="Coverage"/> levels of |observed - nominal| coverage.</summary>
    public double ExpectedCalibrationError { get; }

    /// <summary>Mean predicted standard deviation (sharpness: smaller is sharper, provided coverage holds).</summary>
    public double MeanStdDev { get; }

    /// <summary>Pearson correlation between |label - mean| and the predicted standard deviation; NaN when either is constant.</summary>
    public double ErrorStdDevPearsonCorrelation { get; }

    /// <summary>Spearman rank correlation between |label - mean| and the predicted standard deviation; NaN when either is constant.</summary>
    public double ErrorStdDevSpearmanCorrelation { get; }

    /// <summary>The same figures for each coordinate of a vector label (one entry per output); empty for a scalar label.</summary>
    public IReadOnlyList<UncertaintyMetrics> PerOutput { get; }

    /// <summary>The same figures for each coordinate of a vector label; empty for a scalar label.</summary>
    [Obsolete("Use PerOutput.")]
    public IReadOnlyList<UncertaintyMetrics> PerCoordinate => PerOutput;

    /// <summary>The observed coverage at <paramref name="level"/>, which must be one of the evaluated levels.</summary>
    public double CoverageAt(double level)
    {
        foreach (var c in Coverage)
            if (Math.Abs(c.Level - level) < 1e-9) return c.Observed;
        throw new ArgumentOutOfRangeException(nameof(level), level,
            $"Coverage was evaluated at levels {string.Join(", ", Coverage.Select(c => c.Level))} only.");
    }
}
