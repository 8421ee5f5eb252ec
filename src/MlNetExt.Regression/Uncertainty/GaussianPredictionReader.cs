using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Regression.Uncertainty;

/// <summary>
/// Reads label, mean and standard-deviation columns (each a float or a float vector of one known size) into
/// row-major arrays, failing on the first bad value with its column and 0-based row.
/// </summary>
internal static class GaussianPredictionReader
{
    /// <summary>What <see cref="Read"/> returns: row-major [rows, Width] arrays.</summary>
    public sealed record Columns(float[] Labels, float[] Means, float[] StdDevs, int Width, bool LabelIsVector);

    public static Columns Read(IDataView data, string labelColumnName, string scoreColumnName, string stdDevColumnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        int labelWidth = ColumnWidth(data.Schema, labelColumnName, "label", nameof(labelColumnName), out bool labelIsVector);
        int scoreWidth = ColumnWidth(data.Schema, scoreColumnName, "score", nameof(scoreColumnName), out _);
        int stdWidth = ColumnWidth(data.Schema, stdDevColumnName, "standard deviation", nameof(stdDevColumnName), out _);
        if (scoreWidth != labelWidth || stdWidth != labelWidth)
            throw new ArgumentException(
                $"Label column '{labelColumnName}' has {labelWidth} value(s) per row, but score column '{scoreColumnName}' has " +
                $"{scoreWidth} and standard deviation column '{stdDevColumnName}' has {stdWidth}; all three must have the same size.",
                nameof(data));

        var labels = new List<float>();
        var means = new List<float>();
        var stdDevs = new List<float>();
        var columns = new[] { data.Schema[labelColumnName], data.Schema[scoreColumnName], data.Schema[stdDevColumnName] };
        using (var cursor = data.GetRowCursor(columns))
        {
            var readLabel = Getter(cursor, columns[0]);
            var readMean = Getter(cursor, columns[1]);
            var readStd = Getter(cursor, columns[2]);
            long row = 0;
            while (cursor.MoveNext())
            {
                readLabel(labels, row);
                readMean(means, row);
                readStd(stdDevs, row);
                for (int i = stdDevs.Count - labelWidth; i < stdDevs.Count; i++)
                    if (!(stdDevs[i] > 0))
                        throw new InvalidDataException(
                            $"Standard deviation column '{stdDevColumnName}' has a non-positive value ({stdDevs[i]}) at row {row}; " +
                            "standard deviations must be greater than zero.");
                row++;
            }
        }
        if (labels.Count == 0)
            throw new ArgumentException("The data has no rows: uncertainty metrics need at least one row.", nameof(data));
        return new Columns(labels.ToArray(), means.ToArray(), stdDevs.ToArray(), labelWidth, labelIsVector);
    }

    private static int ColumnWidth(DataViewSchema schema, string name, string role, string parameterName, out bool isVector)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException(
                $"The {role} column '{name}' is not in the data (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).",
                parameterName);
        isVector = column.Type is VectorDataViewType;
        if (column.Type == NumberDataViewType.Single)
            return 1;
        if (column.Type is VectorDataViewType { ItemType: var item, Size: > 0 } vector && item == NumberDataViewType.Single)
            return vector.Size;
        throw new ArgumentException(
            $"The {role} column '{name}' must be Single or a known-size vector of Single, but is {column.Type}.", parameterName);
    }

    /// <summary>A reader that appends one row's values of <paramref name="column"/>, rejecting NaN and infinities.</summary>
    private static Action<List<float>, long> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var get = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            return (target, row) =>
            {
                get(ref buffer);
                int offset = target.Count;
                foreach (var value in buffer.DenseValues()) target.Add(value);
                for (int i = offset; i < target.Count; i++)
                    if (!float.IsFinite(target[i]))
                        throw NonFinite(column.Name, target[i], row, i - offset);
            };
        }
        var getScalar = cursor.GetGetter<float>(column);
        return (target, row) =>
        {
            float value = 0;
            getScalar(ref value);
            if (!float.IsFinite(value)) throw NonFinite(column.Name, value, row, null);
            target.Add(value);
        };
    }

    private static InvalidDataException NonFinite(string column, float value, long row, int? slot) =>
        new($"Column '{column}' has a non-finite value ({value}) at row {row}{(slot is int s ? $", slot {s}" : "")}; " +
            "uncertainty metrics need finite labels, means and standard deviations.");
}
