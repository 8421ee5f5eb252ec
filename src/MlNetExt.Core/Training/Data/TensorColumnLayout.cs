using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;

namespace MlNetExt.Core.Training;

/// <summary>A <see cref="TensorColumnSpec"/> checked against a schema: the column, its width and how it is read.</summary>
internal sealed class TensorColumnLayout
{
    private TensorColumnLayout(TensorColumnSpec spec, DataViewSchema.Column column, int width, bool variableSize, ulong keyCount)
    {
        Spec = spec;
        Column = column;
        Width = width;
        IsVariableSize = variableSize;
        KeyCount = keyCount;
    }

    public TensorColumnSpec Spec { get; }

    /// <summary>The checked numeric column of a <see cref="TensorColumnKind.Float"/> spec; null for keys.</summary>
    public NumericColumn? Numeric { get; private init; }
    public DataViewSchema.Column Column { get; }
    public string Name => Spec.Name;
    public bool IsKey => Spec.Kind == TensorColumnKind.KeyIndex;

    /// <summary>Values per row: the vector size (1 for scalars and keys).</summary>
    public int Width { get; }

    /// <summary>A variable-size vector column whose rows must each have <see cref="Width"/> values.</summary>
    public bool IsVariableSize { get; }

    /// <summary>The key count of a key column.</summary>
    public ulong KeyCount { get; }

    /// <summary>Bytes one row takes in a tensor.</summary>
    public long BytesPerRow => IsKey ? sizeof(long) : (long)Width * sizeof(float);

    /// <summary>Checks every spec against the schema; schema problems throw <see cref="ArgumentException"/>.</summary>
    public static IReadOnlyList<TensorColumnLayout> Resolve(DataViewSchema schema, IReadOnlyList<TensorColumnSpec> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
            throw new ArgumentException("At least one column must be read.", nameof(columns));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var layouts = new List<TensorColumnLayout>(columns.Count);
        foreach (var spec in columns)
        {
            if (spec is null || string.IsNullOrEmpty(spec.Name))
                throw new ArgumentException("Every column spec needs a column name.", nameof(columns));
            if (!seen.Add(spec.Name))
                throw new ArgumentException($"Column '{spec.Name}' is listed more than once.", nameof(columns));
            layouts.Add(ResolveOne(schema, spec));
        }
        return layouts;
    }

    private static TensorColumnLayout ResolveOne(DataViewSchema schema, TensorColumnSpec spec)
    {
        var found = schema.GetColumnOrNull(spec.Name);
        if (found is not DataViewSchema.Column column)
        {
            var names = string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));
            throw new ArgumentException(
                $"Column '{spec.Name}' was not found in the data; expected {Expected(spec)}. The data has columns {names}.",
                nameof(schema));
        }

        var type = column.Type;
        if (spec.Kind == TensorColumnKind.KeyIndex)
        {
            if (type is not KeyDataViewType key)
                throw new ArgumentException(
                    $"Column '{spec.Name}' must be a key column ({Expected(spec)}); found {type}. Use MapValueToKey to make one.",
                    nameof(schema));
            return new TensorColumnLayout(spec, column, 1, false, key.Count);
        }

        var numeric = NumericColumn.Find(schema, spec.Name, NumericColumnShape.ScalarOrVector, spec.ExpectedWidth, parameterName: nameof(schema));
        return new TensorColumnLayout(spec, column, numeric.Width, numeric.IsVariableSize, 0) { Numeric = numeric };
    }

    private static string Expected(TensorColumnSpec spec) => spec.Kind == TensorColumnKind.KeyIndex
        ? "a key type"
        : "a numeric scalar or known-size vector (Single, Double, an integer type or Boolean)";
}
