namespace MlNetExt.Core.Models;

/// <summary>One input or output of an exported model, as written to <c>mlnetext.inputs</c> / <c>mlnetext.outputs</c>.</summary>
/// <param name="Name">The ONNX input or output name.</param>
/// <param name="ElementType">The element type: "float", "double", "int64", "uint8", "string", "bool".</param>
/// <param name="Shape">The shape; -1 marks a dynamic dimension (the batch).</param>
/// <param name="Meaning">What the values are, in a few words ("features", "expected count per output").</param>
internal sealed record OnnxTensorDescription(string Name, string ElementType, long[] Shape, string Meaning);
