using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using MlNetExt.Core.Data;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Both views of a CCA problem read into float64 matrices, with the checks every CCA estimator shares.</summary>
internal static class TwoViewData
{
    /// <summary>Reads the two view columns in one pass; NaN/infinity (naming the column, the row and the slot), fewer than 3
    /// rows or a missing column throw.</summary>
    public static (Matrix<double> A, Matrix<double> B) Read(IDataView data, string viewA, string viewB)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (widthA, widthB) = CheckSchema(data.Schema, viewA, viewB, nameof(data));
        NumericColumn[] columns =
        [
            NumericColumn.Find(data.Schema, viewA, role: "View A", parameterName: nameof(data)),
            NumericColumn.Find(data.Schema, viewB, role: "View B", parameterName: nameof(data)),
        ];
        var values = ColumnMatrix.ReadFloats(data, columns, out int rows);
        if (rows < 3)
            throw new ArgumentException($"CCA needs at least 3 rows of '{viewA}' and '{viewB}', found {rows}.", nameof(data));
        var (a, b) = (values[0], values[1]);
        return (Matrix<double>.Build.Dense(rows, widthA, (i, j) => a[i * widthA + j]),
                Matrix<double>.Build.Dense(rows, widthB, (i, j) => b[i * widthB + j]));
    }

    /// <summary>Checks that the two view columns and the two output columns are four different names (the exported graph
    /// names its inputs and outputs after them, and an ONNX graph cannot give two values one name).</summary>
    /// <exception cref="ArgumentException">Two of the names are the same; the message names both options.</exception>
    public static void CheckColumnNames(string viewA, string viewB, string outputA, string outputB, string parameterName)
    {
        (string Option, string Name)[] names =
            [("ViewAColumnName", viewA), ("ViewBColumnName", viewB), ("ViewAOutputColumnName", outputA), ("ViewBOutputColumnName", outputB)];
        for (int i = 0; i < names.Length; i++)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(names[i].Name, names[i].Option);
            for (int j = 0; j < i; j++)
            {
                if (names[i].Name == names[j].Name)
                    throw new ArgumentException(
                        $"{names[j].Option} and {names[i].Option} are both '{names[i].Name}'; CCA needs four different column names "
                        + "(the outputs cannot replace the views: the exported ONNX graph names its inputs and outputs after them).", parameterName);
            }
        }
    }

    /// <summary>Checks that the views are two different numeric columns (scalars or known-size vectors of Single, Double, an
    /// integer type or Boolean; the model converts them to Single for the exported graph); returns their widths.</summary>
    /// <exception cref="ArgumentException">A column is missing or not numeric (the message names it and the accepted
    /// types), or both views are the same column.</exception>
    public static (int WidthA, int WidthB) CheckSchema(DataViewSchema schema, string viewA, string viewB, string parameterName)
    {
        if (viewA == viewB)
            throw new ArgumentException($"The two views must be different columns; both are '{viewA}'.", parameterName);
        return (NumericColumn.Find(schema, viewA, role: "View A", parameterName: parameterName).Width,
                NumericColumn.Find(schema, viewB, role: "View B", parameterName: parameterName).Width);
    }
}
