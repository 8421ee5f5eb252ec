using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Core.Data;

/// <summary>Which shapes a caller of <see cref="NumericColumn.Find"/> accepts.</summary>
internal enum NumericColumnShape
{
    /// <summary>A single number per row.</summary>
    Scalar,

    /// <summary>A single number or a vector of numbers per row.</summary>
    ScalarOrVector,
}

/// <summary>
/// A column whose values are read as numbers: Single, Double, every integer type and Boolean (true is 1, false is 0),
/// as a scalar or a vector. The one schema check every plugin uses, so they all accept the same types and say the same
/// thing when a column does not fit: the column, what was expected and what was found.
/// </summary>
internal sealed class NumericColumn
{
    private static readonly Type[] NumericRawTypes =
    [
        typeof(float), typeof(double), typeof(sbyte), typeof(byte), typeof(short), typeof(ushort),
        typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(bool),
    ];

    /// <summary>The item types read as numbers, as messages and docs name them.</summary>
    public const string AcceptedTypes = "Single, Double, an integer type or Boolean";

    private NumericColumn(DataViewSchema.Column column, string displayName, int width, bool isVector, bool isVariableSize)
    {
        Column = column;
        DisplayName = displayName;
        Width = width;
        IsVector = isVector;
        IsVariableSize = isVariableSize;
    }

    /// <summary>The schema column.</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>The column's name.</summary>
    public string Name => Column.Name;

    /// <summary>How messages name the column: "Column 'X'" or, with a role, "Label column 'X'".</summary>
    public string DisplayName { get; }

    /// <summary>Values per row: 1 for a scalar, the vector size otherwise.</summary>
    public int Width { get; }

    /// <summary>Whether the column holds vectors.</summary>
    public bool IsVector { get; }

    /// <summary>A variable-size vector column whose every row must have <see cref="Width"/> values.</summary>
    public bool IsVariableSize { get; }

    /// <summary>The type of one value (the vector's item type, or the scalar type).</summary>
    public DataViewType ItemType => Column.Type is VectorDataViewType vector ? vector.ItemType : Column.Type;

    /// <summary>Whether values of <paramref name="itemType"/> are read as numbers.</summary>
    public static bool IsNumeric(DataViewType itemType) =>
        itemType is NumberDataViewType or BooleanDataViewType && NumericRawTypes.Contains(itemType.RawType);

    /// <summary>How messages name a column.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="role">What the column is for ("Label", "Score"), or null.</param>
    public static string Display(string name, string? role) => role is null ? $"Column '{name}'" : $"{role} column '{name}'";

    /// <summary>Finds <paramref name="name"/> in <paramref name="schema"/> and checks it holds numbers of an accepted shape.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="name">The column name.</param>
    /// <param name="shape">The shapes accepted.</param>
    /// <param name="expectedWidth">The required number of values per row; null takes it from the schema (a variable-size
    /// vector column then needs it, and every row is checked).</param>
    /// <param name="role">What the column is for, used in messages ("Label column 'X'"); null: "Column 'X'".</param>
    /// <param name="parameterName">The parameter named by the <see cref="ArgumentException"/>.</param>
    /// <exception cref="ArgumentException">The column is missing or does not hold numbers of an accepted shape.</exception>
    public static NumericColumn Find(DataViewSchema schema, string name, NumericColumnShape shape = NumericColumnShape.ScalarOrVector,
        int? expectedWidth = null, string? role = null, string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string display = Display(name, role);
        string expected = Expected(shape);
        var found = schema.GetColumnOrNull(name);
        if (found is not DataViewSchema.Column column)
        {
            var names = string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));
            throw new ArgumentException($"{display} was not found in the data; expected {expected}. The data has columns {names}.", parameterName);
        }
        if (expectedWidth is int invalid && invalid <= 0)
            throw new ArgumentOutOfRangeException(nameof(expectedWidth), invalid, "The expected width must be positive.");

        var type = column.Type;
        var itemType = type is VectorDataViewType v ? v.ItemType : type;
        if (itemType is KeyDataViewType)
            throw new ArgumentException(
                $"{display} must be {expected}; found the key type {type}. Key values are class labels, not numbers: "
                + "use MapKeyToValue to get the values back, or give a column of numbers.", parameterName);
        if (!IsNumeric(itemType))
            throw new ArgumentException($"{display} must be {expected}; found {type}.", parameterName);

        if (type is not VectorDataViewType vector)
        {
            if (expectedWidth is int wantedForScalar && wantedForScalar != 1)
                throw new ArgumentException($"{display} must be a vector of size {wantedForScalar}; found the scalar {type}.", parameterName);
            return new NumericColumn(column, display, 1, false, false);
        }
        if (shape == NumericColumnShape.Scalar)
            throw new ArgumentException($"{display} must be {expected}; found the vector {type}.", parameterName);
        if (vector.Dimensions.Length == 0 || !vector.IsKnownSize)
        {
            if (expectedWidth is int width)
                return new NumericColumn(column, display, width, true, true);
            throw new ArgumentException(
                $"{display} must be a known-size vector; found the variable-size {type}. Give the column a fixed size "
                + "(for example [VectorType(n)] on the property it is loaded from).", parameterName);
        }
        if (expectedWidth is int wanted && wanted != vector.Size)
            throw new ArgumentException($"{display} must be a vector of size {wanted}; found {type} of size {vector.Size}.", parameterName);
        return new NumericColumn(column, display, vector.Size, true, false);
    }

    /// <summary>A reader of this column's values on <paramref name="row"/>.</summary>
    /// <param name="row">A cursor (or row) on which the column is active.</param>
    /// <param name="rowNumber">The user's 0-based row number of the current row, for messages; null: the cursor's position.</param>
    public NumericRowReader CreateReader(DataViewRow row, Func<long>? rowNumber = null) => NumericRowReader.Create(row, this, rowNumber);

    private static string Expected(NumericColumnShape shape) => shape == NumericColumnShape.Scalar
        ? $"a numeric scalar ({AcceptedTypes})"
        : $"a numeric scalar or known-size vector ({AcceptedTypes})";
}
