using Microsoft.ML;

namespace MlNetExt.Regression.Evaluation;

/// <summary>Count-regression evaluation on <see cref="MLContext.Regression"/>.</summary>
public static class CountEvaluationCatalog
{
    /// <summary>
    /// Evaluates predicted expected counts against observed counts: Poisson NLL (with ln k!), deviance, deviance
    /// explained and bits per spike, overall and per output for vector labels.
    /// </summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="data">Scored data.</param>
    /// <param name="labelColumnName">Observed counts: a numeric scalar or known-size vector (one slot per output).</param>
    /// <param name="scoreColumnName">Expected counts, the same shape as the label.</param>
    /// <param name="referenceMeanCounts">
    /// Mean count per row of each output in the training data (one value, or one per output), the reference model
    /// for bits per spike; <see langword="null"/>: the evaluated data's means. See <see cref="ComputeMeanCounts"/>.
    /// </param>
    /// <param name="dispersion">NB2 dispersion α per output (Var = μ + α μ²; one value or one per output) for the negative-binomial NLL; <see langword="null"/>: none.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or shapes disagree.</exception>
    /// <exception cref="InvalidDataException">A negative or non-finite count or expected count; the message names the column and row.</exception>
    public static CountMetrics EvaluateCounts(this RegressionCatalog catalog, IDataView data, string labelColumnName = "Label",
        string scoreColumnName = "Score", IReadOnlyList<double>? referenceMeanCounts = null, IReadOnlyList<double>? dispersion = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return CountEvaluator.Evaluate(data, labelColumnName, scoreColumnName, referenceMeanCounts, dispersion);
    }

    /// <summary>Mean count per row of each output of a count column (e.g. of the training data, as reference for bits per spike).</summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="data">Data holding the counts.</param>
    /// <param name="labelColumnName">Count column: numeric scalar or known-size vector.</param>
    /// <returns>One mean per output.</returns>
    public static double[] ComputeMeanCounts(this RegressionCatalog catalog, IDataView data, string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return CountEvaluator.MeanCounts(data, labelColumnName);
    }
}
