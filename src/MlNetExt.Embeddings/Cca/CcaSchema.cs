using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Schema propagation shared by the CCA estimators.</summary>
internal static class CcaSchema
{
    /// <summary>Checks both views are numeric known-size vectors and adds the two float-vector output columns.</summary>
    public static SchemaShape Output(MLContext context, SchemaShape input, string viewA, string viewB, string outputA, string outputB)
    {
        foreach (var name in new[] { viewA, viewB })
        {
            var column = input.FirstOrDefault(c => c.Name == name);
            if (column.Name is null)
                throw new ArgumentException($"View column '{name}' was not found in the input schema.");
            if (column.Kind != SchemaShape.Column.VectorKind.Vector || !NumericColumn.IsNumeric(column.ItemType))
                throw new ArgumentException(
                    $"View column '{name}' must be a known-size vector ({NumericColumn.AcceptedTypes}), found {column.ItemType} ({column.Kind}).");
        }
        // The outputs are float vectors of the inputs' sizes: standard conversions describe them without internal constructors.
        return context.Transforms.Conversion.ConvertType(outputA, viewA, DataKind.Single)
            .Append(context.Transforms.Conversion.ConvertType(outputB, viewB, DataKind.Single))
            .GetOutputSchema(input);
    }
}
