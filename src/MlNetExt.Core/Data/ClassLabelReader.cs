using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Core.Data;

/// <summary>Class labels read from a column: one 0-based class index per row, classes numbered in order of first appearance.</summary>
/// <param name="Indices">The class index of every row.</param>
/// <param name="Names">The label of every class, as text (key values as their 1-based number, Booleans as "true"/"false").</param>
internal sealed record ClassLabels(int[] Indices, string[] Names)
{
    /// <summary>The number of classes.</summary>
    public int ClassCount => Names.Length;
}

/// <summary>
/// Reads a label column as classes: a key, text, Boolean or numeric scalar column (Single, Double or any integer type).
/// A missing label (NaN, or key value 0) throws <see cref="InvalidDataException"/> naming the column and the user's row.
/// </summary>
internal static class ClassLabelReader
{
    private const string Expected = "a key, text, Boolean or numeric scalar column";

    /// <summary>Finds <paramref name="name"/> and checks it can hold class labels.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="name">The column name.</param>
    /// <param name="role">What the column is for, used in messages; default "Label".</param>
    /// <param name="parameterName">The parameter named by the <see cref="ArgumentException"/>.</param>
    /// <exception cref="ArgumentException">The column is missing or has another type.</exception>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string role = "Label", string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string display = NumericColumn.Display(name, role);
        var found = schema.GetColumnOrNull(name);
        if (found is not DataViewSchema.Column column)
        {
            var names = string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));
            throw new ArgumentException($"{display} was not found in the data; expected {Expected}. The data has columns {names}.", parameterName);
        }
        var type = column.Type;
        bool ok = type is KeyDataViewType or TextDataViewType || NumericColumn.IsNumeric(type);
        if (!ok)
            throw new ArgumentException($"{display} must be {Expected}; found {type}.", parameterName);
        return column;
    }

    /// <summary>The classes of a key column: its key values as text, in key order (class i is key value i + 1), as a
    /// classifier that scores one output per key value names them.</summary>
    /// <param name="column">The label column.</param>
    /// <param name="role">What the column is for, used in messages; default "Label".</param>
    /// <param name="parameterName">The parameter named by the <see cref="ArgumentException"/>.</param>
    /// <exception cref="ArgumentException">The column is not a key, or is a key without key values.</exception>
    public static IReadOnlyList<string> KeyClassNames(DataViewSchema.Column column, string role = "Label", string? parameterName = null)
    {
        string display = NumericColumn.Display(column.Name, role);
        if (column.Type is not KeyDataViewType)
            throw new ArgumentException($"{display} must be a key column (use MapValueToKey); found {column.Type}.", parameterName);
        var type = column.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type as VectorDataViewType
            ?? throw new ArgumentException($"{display} is a key without key values; create it with MapValueToKey.", parameterName);
        var method = typeof(ClassLabelReader).GetMethod(nameof(KeyValuesAsText), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type.ItemType.RawType);
        return (IReadOnlyList<string>)method.Invoke(null, [column])!;
    }

    private static IReadOnlyList<string> KeyValuesAsText<T>(DataViewSchema.Column column)
    {
        VBuffer<T> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToArray();
    }

    /// <summary>Reads every row's class.</summary>
    /// <param name="data">The data.</param>
    /// <param name="name">The label column.</param>
    /// <param name="role">What the column is for, used in messages; default "Label".</param>
    /// <param name="rowNumberColumn">A column holding the user's 0-based row numbers (see <see cref="RowNumberedDataView"/>); null: the cursor's position.</param>
    public static ClassLabels Read(IDataView data, string name, string role = "Label", string? rowNumberColumn = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = Find(data.Schema, name, role, nameof(name));
        var needed = new List<DataViewSchema.Column> { column };
        if (rowNumberColumn is not null)
            needed.Add(data.Schema[rowNumberColumn]);
        using var cursor = data.GetRowCursor(needed);
        var rowNumber = RowNumbers.Getter(cursor, rowNumberColumn);
        var read = Create(cursor, column);

        var classes = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var indices = data.GetRowCount() is long known and > 0 and < int.MaxValue ? new List<int>((int)known) : new List<int>();
        while (cursor.MoveNext())
        {
            var label = read() ?? throw new InvalidDataException(
                $"{NumericColumn.Display(name, role)} has a missing label at row {rowNumber()}: expected a class label; found "
                + (column.Type is KeyDataViewType ? "key value 0 (missing)." : "NaN."));
            if (!classes.TryGetValue(label, out int index))
            {
                index = classes.Count;
                classes.Add(label, index);
                names.Add(label);
            }
            indices.Add(index);
        }
        return new ClassLabels(indices.ToArray(), names.ToArray());
    }

    /// <summary>A function returning the current row's label as text, or null when it is missing.</summary>
    private static Func<string?> Create(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var type = column.Type;
        var invariant = CultureInfo.InvariantCulture;
        if (type is KeyDataViewType)
        {
            var raw = type.RawType;
            if (raw == typeof(uint)) return Getter<uint>(cursor, column, k => k == 0 ? null : k.ToString(invariant));
            if (raw == typeof(ulong)) return Getter<ulong>(cursor, column, k => k == 0 ? null : k.ToString(invariant));
            if (raw == typeof(ushort)) return Getter<ushort>(cursor, column, k => k == 0 ? null : k.ToString(invariant));
            if (raw == typeof(byte)) return Getter<byte>(cursor, column, k => k == 0 ? null : k.ToString(invariant));
            throw new ArgumentException($"Key column '{column.Name}' has the unsupported raw type {raw.Name}.");
        }
        if (type is TextDataViewType)
            return Getter<ReadOnlyMemory<char>>(cursor, column, t => t.ToString());
        if (type is BooleanDataViewType)
            return Getter<bool>(cursor, column, b => b ? "true" : "false");
        if (type.RawType == typeof(float))
            return Getter<float>(cursor, column, f => float.IsNaN(f) ? null : f.ToString("R", invariant));
        if (type.RawType == typeof(double))
            return Getter<double>(cursor, column, d => double.IsNaN(d) ? null : d.ToString("R", invariant));
        // Integer types: read through the numeric reader (exact for every integer a label plausibly holds).
        var numeric = NumericColumn.Find(cursor.Schema, column.Name, NumericColumnShape.Scalar).CreateReader(cursor);
        var value = new double[1];
        return () =>
        {
            numeric.Read(value.AsSpan());
            return value[0].ToString("R", invariant);
        };
    }

    private static Func<string?> Getter<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, string?> format)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return format(value);
        };
    }
}
