namespace MlNetExt.Core.Training;

/// <summary>A column to read into tensors, with the checks applied to every value.</summary>
/// <param name="Name">The data view column name.</param>
/// <param name="Kind">How the column becomes a tensor.</param>
public sealed record TensorColumnSpec(string Name, TensorColumnKind Kind = TensorColumnKind.Float)
{
    /// <summary>NaN or infinite values throw an <see cref="System.IO.InvalidDataException"/> naming column and row.</summary>
    public bool RejectNonFinite { get; init; } = true;

    /// <summary>Checks every value of a <see cref="TensorColumnKind.Float"/> column: returns a problem
    /// (for example "is negative") or null when the value is fine.</summary>
    public Func<float, string?>? Validate { get; init; }

    /// <summary>The required vector size; null takes it from the schema. Needed for variable-size vector columns,
    /// whose every row is then checked.</summary>
    public int? ExpectedWidth { get; init; }
}
