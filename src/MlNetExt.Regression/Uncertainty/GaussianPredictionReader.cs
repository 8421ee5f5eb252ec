using Microsoft.ML;
using MlNetExt.Core.Data;

namespace MlNetExt.Regression.Uncertainty;

/// <summary>
/// Reads label, mean and standard-deviation columns (each numeric: Single, Double, an integer type or Boolean, scalar or
/// a known-size vector, read as floats) in one pass into row-major arrays, failing on the first bad value with its
/// column and 0-based row.
/// </summary>
internal static class GaussianPredictionReader
{
    /// <summary>What <see cref="Read"/> returns: row-major [rows, Width] arrays.</summary>
    public sealed record Columns(float[] Labels, float[] Means, float[] StdDevs, int Width, bool LabelIsVector);

    public static Columns Read(IDataView data, string labelColumnName, string scoreColumnName, string stdDevColumnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(scoreColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(stdDevColumnName);
        var label = NumericColumn.Find(data.Schema, labelColumnName, role: "Label", parameterName: nameof(labelColumnName));
        var score = NumericColumn.Find(data.Schema, scoreColumnName, role: "Score", parameterName: nameof(scoreColumnName));
        var stdDev = NumericColumn.Find(data.Schema, stdDevColumnName, role: "Standard deviation", parameterName: nameof(stdDevColumnName));
        int width = label.Width;
        if (score.Width != width || stdDev.Width != width)
            throw new ArgumentException(
                $"Label column '{labelColumnName}' has {width} value(s) per row, but score column '{scoreColumnName}' has " +
                $"{score.Width} and standard deviation column '{stdDevColumnName}' has {stdDev.Width}; all three must have the same size.",
                nameof(data));

        var values = ColumnMatrix.ReadFloats(data, [label, score, stdDev], out int rows);
        if (rows == 0)
            throw new ArgumentException("The data has no rows: uncertainty metrics need at least one row.", nameof(data));
        var stdDevs = values[2];
        for (int i = 0; i < stdDevs.Length; i++)
        {
            if (!(stdDevs[i] > 0))
                throw new InvalidDataException(
                    $"Standard deviation column '{stdDevColumnName}' has a non-positive value ({stdDevs[i]}) at row {i / width}" +
                    $"{(stdDev.IsVector ? $" (slot {i % width})" : "")}; standard deviations must be greater than zero.");
        }
        return new Columns(values[0], values[1], stdDevs, width, label.IsVector);
    }
}
