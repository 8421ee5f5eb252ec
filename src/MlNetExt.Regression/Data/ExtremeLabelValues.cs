namespace MlNetExt.Regression.Data;

/// <summary>
/// Finds labels that one extreme row dominates (a count of 1e30 among ordinary counts, a Gaussian label of 3e38): a finite
/// but absurd value trains without error into a model that fits only that row. The rule: one row accounts for more than
/// half of the label's total squared deviation from its mean. Ordinary data never come close (the largest of n normal
/// values holds about 2 ln(n) / n of it).
/// </summary>
internal static class ExtremeLabelValues
{
    /// <summary>Share of the total squared deviation above which a warning is written.</summary>
    public const double DominantShare = 0.5;

    /// <summary>Fewest rows for which the rule is applied (in tiny data one row may legitimately dominate).</summary>
    public const long MinimumRows = 20;

    /// <summary>The warning for one label coordinate, or null when no row dominates it.</summary>
    /// <param name="column">The label column.</param>
    /// <param name="coordinate">The coordinate (slot) of a vector label, or null for a scalar label.</param>
    /// <param name="rows">Rows seen.</param>
    /// <param name="sum">Sum of the values.</param>
    /// <param name="sumOfSquares">Sum of the squared values.</param>
    /// <param name="min">Smallest value.</param>
    /// <param name="max">Largest value.</param>
    public static string? Describe(string column, int? coordinate, long rows, double sum, double sumOfSquares, double min, double max)
    {
        if (rows < MinimumRows)
            return null;
        double mean = sum / rows;
        double total = sumOfSquares - rows * mean * mean;
        double extreme = Math.Abs(max - mean) >= Math.Abs(min - mean) ? max : min;
        double deviation = extreme - mean;
        // When the squares overflow, the extreme value is absurd by any measure.
        bool dominated = double.IsInfinity(sumOfSquares) || (total > 0 && deviation * deviation > DominantShare * total);
        if (!dominated)
            return null;
        string where = coordinate is int c ? $"label column '{column}' (slot {c})" : $"label column '{column}'";
        return FormattableString.Invariant(
            $"The {where} has an extreme value, {extreme:G6}, that alone accounts for more than half of the label's variance (mean of the other rows about {(sum - extreme) / (rows - 1):G4}); the model will be fitted mostly to that row. Check the data for a unit or parsing error before trusting this model.");
    }
}
