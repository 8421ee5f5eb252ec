using Microsoft.ML;

namespace MlNetExt.Regression.Uncertainty;

/// <summary>Evaluation of regression models that predict a standard deviation next to their mean.</summary>
public static class UncertaintyEvaluationCatalog
{
    /// <summary>
    /// Evaluates Gaussian predictive distributions: mean negative log-likelihood, RMSE, coverage of the central
    /// intervals at <paramref name="coverageLevels"/> (default 0.5, 0.68, 0.9, 0.95), expected calibration error,
    /// sharpness and the correlation between |error| and the predicted standard deviation. Label, score and
    /// standard deviation columns are numeric scalars or vectors of one size (Single, Double, an integer type or Boolean, read as
    /// floats; with vectors the figures pool all coordinates and
    /// <see cref="UncertaintyMetrics.PerOutput"/> holds each coordinate's).
    /// </summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="data">Scored data, e.g. the output of a NeuralGaussian model's Transform.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="scoreColumnName">The predicted mean column.</param>
    /// <param name="stdDevColumnName">The predicted standard deviation column (values must be positive).</param>
    /// <param name="coverageLevels">Nominal levels of the central intervals to check, each strictly between 0 and 1.</param>
    /// <exception cref="ArgumentException">A column is missing, has the wrong type or size, or the data is empty.</exception>
    /// <exception cref="InvalidDataException">A value is NaN or infinite, or a standard deviation is not positive (names column and row).</exception>
    public static UncertaintyMetrics EvaluateUncertainty(this RegressionCatalog catalog, IDataView data,
        string labelColumnName = "Label", string scoreColumnName = "Score", string stdDevColumnName = "ScoreStdDev",
        IReadOnlyList<double>? coverageLevels = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Evaluate(data, labelColumnName, scoreColumnName, stdDevColumnName, coverageLevels);
    }

    /// <summary>What both entry points (<c>mlContext.Regression</c> and <c>mlContext.DeepLearning().Regression</c>) run.</summary>
    internal static UncertaintyMetrics Evaluate(IDataView data, string labelColumnName, string scoreColumnName, string stdDevColumnName,
        IReadOnlyList<double>? coverageLevels)
    {
        ArgumentNullException.ThrowIfNull(data);
        var levels = coverageLevels ?? UncertaintyMetricsCalculator.DefaultCoverageLevels;
        if (levels.Count == 0)
            throw new ArgumentException("At least one coverage level is needed.", nameof(coverageLevels));
        foreach (var level in levels)
            if (!(level > 0 && level < 1))
                throw new ArgumentOutOfRangeException(nameof(coverageLevels), level, "Coverage levels must lie strictly between 0 and 1.");

        var columns = GaussianPredictionReader.Read(data, labelColumnName, scoreColumnName, stdDevColumnName);
        return UncertaintyMetricsCalculator.Compute(columns.Labels, columns.Means, columns.StdDevs, columns.Width,
            levels, perOutput: columns.LabelIsVector);
    }
}
