using Microsoft.ML;
using MlNetExt.Core.Data;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>Held-out rows of a triplet training run (inputs already in the encoder's input form) and their classes.</summary>
/// <param name="Inputs">Every row's input vector, row-major.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Labels">Every row's 0-based class, numbered within the validation set.</param>
/// <param name="ClassSizes">Rows per class.</param>
internal sealed record TripletValidationData(float[] Inputs, int Rows, int[] Labels, int[] ClassSizes)
{
    /// <summary>Reads <paramref name="inputColumn"/> (of the preprocessed validation data) and the label column; every class
    /// needs two rows (leave-one-out retrieval) and the width must match training's.</summary>
    /// <param name="data">The validation rows, preprocessed like the training rows.</param>
    /// <param name="inputColumn">The encoder's input column.</param>
    /// <param name="labelColumn">The identity column.</param>
    /// <param name="width">The training inputs' width.</param>
    /// <param name="source">Where the rows come from, for messages.</param>
    /// <param name="rowNumberColumn">A column holding the user's row numbers (after a split), or null.</param>
    public static TripletValidationData Read(IDataView data, string inputColumn, string labelColumn, int width, string source = "ValidationSet",
        string? rowNumberColumn = null)
    {
        // A split's rows are named by their row in the training data; a ValidationSet's by their row in the ValidationSet.
        string feature = rowNumberColumn is null ? "ValidationSet feature" : "Feature", labelRole = rowNumberColumn is null ? "ValidationSet label" : "Label";
        var column = NumericColumn.Find(data.Schema, inputColumn, role: feature, parameterName: "input");
        if (column.Width != width)
            throw new ArgumentException(
                $"{source} column '{inputColumn}' has {column.Width} values per row; the training data has {width}.");
        var inputs = ColumnMatrix.ReadFloats(data, [column], out int rows, rowNumberColumn: rowNumberColumn)[0];
        var classes = ClassLabelReader.Read(data, labelColumn, labelRole, rowNumberColumn);
        var labels = classes.Indices;
        int classCount = classes.ClassCount;
        var sizes = new int[classCount];
        foreach (int label in labels)
            sizes[label]++;
        if (classCount < 2 || sizes.Any(n => n < 2))
            throw new ArgumentException(
                $"{source} label column '{labelColumn}' needs at least two classes with at least two rows each (leave-one-out retrieval); " +
                $"found {classCount} class(es), the smallest with {(sizes.Length == 0 ? 0 : sizes.Min())} row(s).");
        return new TripletValidationData(inputs, rows, labels, sizes);
    }
}
