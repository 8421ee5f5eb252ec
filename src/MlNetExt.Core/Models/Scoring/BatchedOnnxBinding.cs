using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Core.Models.Scoring;

/// <summary>
/// One ONNX transformer bound to an input schema for batched scoring: which columns feed which ONNX inputs, which ONNX
/// outputs become which columns, and the output schema, which is exactly the ONNX transformer's own (the input columns,
/// then one column per output, with ML.NET's types and annotations such as slot names).
/// </summary>
internal sealed class BatchedOnnxBinding
{
    private BatchedOnnxBinding(OnnxBatchScorer scorer, DataViewSchema inputSchema, DataViewSchema outputSchema, BatchInput[] inputs,
        BatchOutput?[] outputsByColumn)
    {
        Scorer = scorer;
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
        Inputs = inputs;
        OutputsByColumn = outputsByColumn;
    }

    /// <summary>The session owner.</summary>
    public OnnxBatchScorer Scorer { get; }

    /// <summary>The schema of the data being scored.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The schema of the scored data (the ONNX transformer's output schema).</summary>
    public DataViewSchema OutputSchema { get; }

    /// <summary>Every ONNX input, with its column.</summary>
    public BatchInput[] Inputs { get; }

    /// <summary>Per output-schema column index: the ONNX output it serves, or null for a column passed through from the input.</summary>
    public BatchOutput?[] OutputsByColumn { get; }

    /// <summary>
    /// The binding of <paramref name="onnxTransformer"/> (which runs the scorer's graph) to <paramref name="inputSchema"/>, or
    /// null when some input or output cannot be batched (then the transformer scores row by row, as ML.NET does). Schema
    /// errors are the ONNX transformer's own (it computes the output schema).
    /// </summary>
    public static BatchedOnnxBinding? TryCreate(OnnxBatchScorer scorer, ITransformer onnxTransformer, DataViewSchema inputSchema)
    {
        var outputSchema = onnxTransformer.GetOutputSchema(inputSchema);
        if (outputSchema.Count < inputSchema.Count)
            return null;
        for (int i = 0; i < inputSchema.Count; i++)
        {
            if (outputSchema[i].Name != inputSchema[i].Name || !outputSchema[i].Type.Equals(inputSchema[i].Type))
                return null;
        }

        var session = scorer.Session;
        var inputs = new List<BatchInput>();
        foreach (var (name, metadata) in session.InputMetadata)
        {
            if (inputSchema.GetColumnOrNull(name) is not { } column || BatchInput.TryCreate(name, metadata, column) is not { } input)
                return null;
            inputs.Add(input);
        }

        var outputs = new BatchOutput?[outputSchema.Count];
        for (int i = inputSchema.Count; i < outputSchema.Count; i++)
        {
            var column = outputSchema[i];
            if (!session.OutputMetadata.TryGetValue(column.Name, out var metadata) || BatchOutput.TryCreate(column.Name, metadata, column) is not { } output)
                return null;
            outputs[i] = output;
        }
        return new BatchedOnnxBinding(scorer, inputSchema, outputSchema, inputs.ToArray(), outputs);
    }
}
