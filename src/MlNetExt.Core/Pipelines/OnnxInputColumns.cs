using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;

namespace MlNetExt.Core.Pipelines;

/// <summary>
/// The one way every plugin feeds columns to an exported network. MlNetExt's graphs read float tensors and ApplyOnnxModel
/// needs columns of exactly that type, so a scoring chain starts with one ML.NET <c>ConvertType</c> (to Single, in place:
/// the column keeps its name and shape) per input column of another numeric type, then ApplyOnnxModel. Single columns get
/// no conversion, so their chain is ApplyOnnxModel alone. Training reads the same columns with the same conversion
/// (<see cref="NumericColumn"/>): Double is rounded to the nearest Single, integers are converted exactly up to 2^24,
/// Boolean true is 1 and false is 0.
/// </summary>
internal static class OnnxInputColumns
{
    /// <summary>
    /// The transformers that score <paramref name="onnxModel"/> over <paramref name="inputColumns"/>: a <c>ConvertType</c>
    /// to Single for each input column of another numeric type (in the order of <paramref name="inputColumns"/>), then
    /// ApplyOnnxModel (<see cref="OnnxTransformerFactory.Create"/>). Put them, in this order and flat, at the start of the
    /// model's scoring chain (a nested chain would hide the ONNX transformer from restoring and batched scoring).
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="onnxModel">The exported network.</param>
    /// <param name="outputColumns">The ONNX outputs, which become columns.</param>
    /// <param name="inputColumns">The ONNX inputs, each named after the column it reads.</param>
    /// <param name="inputSchema">The schema of the data the model will score.</param>
    /// <exception cref="ArgumentException">An input column is missing or does not hold numbers; the message names it and the
    /// accepted types.</exception>
    public static IReadOnlyList<ITransformer> Score(MLContext context, byte[] onnxModel, string[] outputColumns, string[] inputColumns,
        DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(inputColumns);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var parts = new List<ITransformer>();
        var schema = inputSchema;
        foreach (var name in inputColumns)
        {
            var column = NumericColumn.Find(schema, name, parameterName: nameof(inputSchema));
            if (column.ItemType == NumberDataViewType.Single)
                continue;
            var convert = context.Transforms.Conversion.ConvertType(name, outputKind: DataKind.Single).Fit(new SchemaOnlyDataView(schema));
            parts.Add(convert);
            schema = convert.GetOutputSchema(schema);
        }
        parts.Add(OnnxTransformerFactory.Create(context, onnxModel, outputColumns, inputColumns, schema));
        return parts;
    }

    /// <summary>The schema after <paramref name="transformers"/> are applied in order to <paramref name="schema"/>.</summary>
    /// <param name="transformers">Transformers, for example those of <see cref="Score"/>.</param>
    /// <param name="schema">The input schema.</param>
    public static DataViewSchema OutputSchema(IEnumerable<ITransformer> transformers, DataViewSchema schema) =>
        transformers.Aggregate(schema, (current, transformer) => transformer.GetOutputSchema(current));
}
