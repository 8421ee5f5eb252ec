using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;

namespace MlNetExt.Core.Pipelines;

/// <summary>Checks the columns an exported network will read when scored by ApplyOnnxModel, which needs columns of
/// exactly the ONNX input's element type (MlNetExt's graphs read float tensors).</summary>
internal static class OnnxInputColumns
{
    /// <summary>Throws, before any training, when <paramref name="name"/> is missing, not numeric, or numeric but not Single.</summary>
    /// <param name="schema">The training data's schema.</param>
    /// <param name="name">The column the exported model reads.</param>
    /// <param name="role">What the column is for, in messages ("Feature").</param>
    /// <param name="parameterName">The parameter named by the exception.</param>
    /// <exception cref="ArgumentException">The column cannot be scored; the message says how to convert it.</exception>
    public static void RequireSingle(DataViewSchema schema, string name, string role, string parameterName)
    {
        var column = NumericColumn.Find(schema, name, role: role, parameterName: parameterName);
        if (column.ItemType == NumberDataViewType.Single)
            return;
        throw new ArgumentException(
            $"{column.DisplayName} must hold Single values (Single or a vector of Single), because the exported ONNX model reads "
            + $"float tensors; found {column.Column.Type}. Convert it first, for example with "
            + $"mlContext.Transforms.Conversion.ConvertType(\"{name}\", outputKind: DataKind.Single).", parameterName);
    }
}
