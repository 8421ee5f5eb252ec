using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using MlNetExt.Embeddings.Data;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Both views of a CCA problem read into float64 matrices, with the checks every CCA estimator shares.</summary>
internal static class TwoViewData
{
    /// <summary>Reads the two view columns; NaN/infinity, fewer than 3 rows or a missing column throw naming the column (and row).</summary>
    public static (Matrix<double> A, Matrix<double> B) Read(IDataView data, string viewA, string viewB)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (viewA == viewB)
            throw new ArgumentException($"The two views must be different columns; both are '{viewA}'.");
        var a = ColumnReader.ReadFloats(data, viewA, "View A", out int rows, out int widthA);
        var b = ColumnReader.ReadFloats(data, viewB, "View B", out int rowsB, out int widthB);
        if (rows != rowsB)
            throw new InvalidDataException($"View columns '{viewA}' and '{viewB}' have different row counts ({rows} and {rowsB}).");
        if (rows < 3)
            throw new ArgumentException($"CCA needs at least 3 rows of '{viewA}' and '{viewB}', found {rows}.");
        return (Matrix<double>.Build.Dense(rows, widthA, (i, j) => a[i * widthA + j]),
                Matrix<double>.Build.Dense(rows, widthB, (i, j) => b[i * widthB + j]));
    }

    /// <summary>Validates that the schema has both views as known-size float vectors; returns their widths.</summary>
    public static (int WidthA, int WidthB) CheckSchema(DataViewSchema schema, string viewA, string viewB) =>
        (ColumnReader.VectorWidth(schema, viewA, "View A"), ColumnReader.VectorWidth(schema, viewB, "View B"));
}
