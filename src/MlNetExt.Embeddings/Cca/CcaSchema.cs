using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Schema propagation shared by the CCA estimators.</summary>
internal static class CcaSchema
{
    /// <summary>Checks both views are float vectors and adds the two float-vector output columns.</summary>
    public static SchemaShape Output(MLContext context, SchemaShape input, string viewA, string viewB, string outputA, string outputB)
    {
        foreach (var name in new[] { viewA, viewB })
        {
            var column = input.FirstOrDefault(c => c.Name == name);
            if (column.Name is null)
                throw new ArgumentException($"View column '{name}' was not found in the input schema.");
            if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
                throw new ArgumentException($"View column '{name}' must be a known-size vector of Single, found {column.ItemType} ({column.Kind}).");
        }
        // The outputs are float vectors like the inputs: standard column copies describe them without internal constructors.
        return context.Transforms.CopyColumns(outputA, viewA)
            .Append(context.Transforms.CopyColumns(outputB, viewB))
            .GetOutputSchema(input);
    }
}
