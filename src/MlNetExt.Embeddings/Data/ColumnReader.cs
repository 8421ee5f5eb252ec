using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Embeddings.Data;

/// <summary>Reads float vector columns and label columns of an <see cref="IDataView"/> into arrays, validating as it goes.</summary>
internal static class ColumnReader
{
    /// <summary>Checks that <paramref name="columnName"/> is a known-size float vector (or float scalar) column; returns its width.</summary>
    public static int VectorWidth(DataViewSchema schema, string columnName, string role)
    {
        var column = schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException(
                $"{role} column '{columnName}' was not found (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
        return column.Type switch
        {
            VectorDataViewType { ItemType: var t, Size: > 0 } v when t == NumberDataViewType.Single => v.Size,
            var t when t == NumberDataViewType.Single => 1,
            _ => throw new ArgumentException(
                $"{role} column '{columnName}' must be a known-size vector of Single (Vector<Single, n>), found {column.Type}."),
        };
    }

    /// <summary>Reads a float vector column row-major into a float array ([rows * width]); NaN or infinity throws naming the column and the 0-based row.</summary>
    public static float[] ReadFloats(IDataView data, string columnName, string role, out int rows, out int width)
    {
        width = VectorWidth(data.Schema, columnName, role);
        var column = data.Schema[columnName];
        // Reserve the whole matrix when the row count is known (large image sets: no repeated growth of the list).
        long known = (data.GetRowCount() ?? 0) * width;
        var values = known is > 0 and < int.MaxValue ? new List<float>((int)known) : new List<float>();
        int row = 0;
        using (var cursor = data.GetRowCursor(new[] { column }))
        {
            if (column.Type is VectorDataViewType)
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                var buffer = default(VBuffer<float>);
                var dense = new float[width];
                while (cursor.MoveNext())
                {
                    getter(ref buffer);
                    if (buffer.Length != width)
                        throw new InvalidDataException($"{role} column '{columnName}', row {row}: expected {width} values, found {buffer.Length}.");
                    buffer.CopyTo(dense);
                    for (int j = 0; j < width; j++)
                    {
                        if (!float.IsFinite(dense[j]))
                            throw new InvalidDataException($"{role} column '{columnName}', row {row}, slot {j}: value {dense[j]} is not finite.");
                    }
                    values.AddRange(dense);
                    row++;
                }
            }
            else
            {
                var getter = cursor.GetGetter<float>(column);
                float v = 0;
                while (cursor.MoveNext())
                {
                    getter(ref v);
                    if (!float.IsFinite(v))
                        throw new InvalidDataException($"{role} column '{columnName}', row {row}: value {v} is not finite.");
                    values.Add(v);
                    row++;
                }
            }
        }
        rows = row;
        return values.ToArray();
    }

    /// <summary>
    /// Reads a label column (key, string, boolean or integer/float number) as 0-based class indices in order of
    /// first appearance. Missing labels (NaN, empty key) throw naming the column and row.
    /// </summary>
    public static int[] ReadClassIndices(IDataView data, string columnName, out int classCount)
    {
        var column = data.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException(
                $"Label column '{columnName}' was not found (columns: {string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
        var type = column.Type;
        var classes = new Dictionary<string, int>();
        var result = new List<int>();
        using var cursor = data.GetRowCursor(new[] { column });
        Func<string?> read = type switch
        {
            KeyDataViewType => Getter<uint>(cursor, column, k => k == 0 ? null : k.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            TextDataViewType => Getter<ReadOnlyMemory<char>>(cursor, column, t => t.ToString()),
            BooleanDataViewType => Getter<bool>(cursor, column, b => b ? "true" : "false"),
            _ when type == NumberDataViewType.Single => Getter<float>(cursor, column, f => float.IsFinite(f) ? f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : null),
            _ when type == NumberDataViewType.Double => Getter<double>(cursor, column, f => double.IsFinite(f) ? f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : null),
            _ when type == NumberDataViewType.Int32 => Getter<int>(cursor, column, i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ when type == NumberDataViewType.Int64 => Getter<long>(cursor, column, i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ when type == NumberDataViewType.UInt32 => Getter<uint>(cursor, column, i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new ArgumentException(
                $"Label column '{columnName}' must be a key, text, boolean or numeric scalar column, found {type}."),
        };
        int row = 0;
        while (cursor.MoveNext())
        {
            var name = read() ?? throw new InvalidDataException($"Label column '{columnName}', row {row}: the label is missing (NaN or an empty key).");
            if (!classes.TryGetValue(name, out int index))
            {
                index = classes.Count;
                classes.Add(name, index);
            }
            result.Add(index);
            row++;
        }
        classCount = classes.Count;
        return result.ToArray();
    }

    private static Func<string?> Getter<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, string?> format)
    {
        var getter = cursor.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return format(value);
        };
    }
}
