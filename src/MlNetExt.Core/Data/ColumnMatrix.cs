using System.Globalization;
using Microsoft.ML;

namespace MlNetExt.Core.Data;

/// <summary>Reads numeric columns into row-major float matrices in one pass over the data.</summary>
internal static class ColumnMatrix
{
    /// <summary>Reads one numeric column (scalar or known-size vector of any numeric or Boolean type) as a row-major
    /// [rows * width] matrix; a NaN or infinite value throws naming the column, the row and the slot.</summary>
    /// <param name="data">The data.</param>
    /// <param name="name">The column.</param>
    /// <param name="role">What the column is for, used in messages ("Embedding column 'X'"); null: "Column 'X'".</param>
    /// <param name="rows">The number of rows read.</param>
    /// <param name="width">Values per row.</param>
    public static float[] ReadFloats(IDataView data, string name, string? role, out int rows, out int width)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = NumericColumn.Find(data.Schema, name, role: role, parameterName: nameof(name));
        width = column.Width;
        return ReadFloats(data, [column], out rows)[0];
    }

    /// <summary>Reads several numeric columns of the same rows in one pass, each as a row-major [rows * width] matrix.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columns">Columns found with <see cref="NumericColumn.Find"/> on <paramref name="data"/>'s schema.</param>
    /// <param name="rows">The number of rows read.</param>
    /// <param name="requireFinite">Whether a NaN or infinite value throws (naming column, row and slot).</param>
    /// <param name="rowNumberColumn">A column holding the user's row numbers (<see cref="RowNumberedDataView"/>); null: the cursor's position.</param>
    public static float[][] ReadFloats(IDataView data, IReadOnlyList<NumericColumn> columns, out int rows, bool requireFinite = true,
        string? rowNumberColumn = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columns);
        var needed = columns.Select(c => c.Column).ToList();
        if (rowNumberColumn is not null)
            needed.Add(data.Schema[rowNumberColumn]);
        long known = data.GetRowCount() ?? 0;
        var buffers = columns.Select(c => new List<float>(Capacity(known, c.Width))).ToArray();
        var row = new float[columns.Count == 0 ? 0 : columns.Max(c => c.Width)];
        int count = 0;
        using (var cursor = data.GetRowCursor(needed.DistinctBy(c => c.Index)))
        {
            var rowNumber = RowNumbers.Getter(cursor, rowNumberColumn);
            var readers = columns.Select(c => c.CreateReader(cursor, rowNumber)).ToArray();
            while (cursor.MoveNext())
            {
                for (int c = 0; c < readers.Length; c++)
                {
                    var values = row.AsSpan(0, columns[c].Width);
                    readers[c].Read(values);
                    if (requireFinite)
                        ThrowIfNotFinite(readers[c], values);
                    buffers[c].AddRange(values);
                }
                count = checked(count + 1);
            }
        }
        rows = count;
        return buffers.Select(b => b.ToArray()).ToArray();
    }

    /// <summary>Throws naming the column, row and slot when a value is NaN or infinite.</summary>
    public static void ThrowIfNotFinite(NumericRowReader reader, ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new InvalidDataException(reader.Describe(i, "has a non-finite value",
                    $"expected finite numbers; found {values[i].ToString("R", CultureInfo.InvariantCulture)}."));
        }
    }

    private static int Capacity(long rows, int width)
    {
        long values = rows * width;
        return values is > 0 and < int.MaxValue ? (int)values : 0;
    }
}
