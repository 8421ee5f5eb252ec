using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>Builds the encoder's ONNX model: input vectors -> encoder -> x / max(||x||, 1e-12) (torch's normalize), with the
/// mlnetext.* metadata of <c>description</c>.</summary>
internal static class TripletEncoderOnnx
{
    public static byte[] Build(nn.Module encoder, string inputName, int inputWidth, string outputName, int dimension,
        OnnxModelDescription description)
    {
        var graph = new OnnxGraphBuilder("triplet_embedding");
        string input = graph.AddInput(inputName, OnnxDataType.Float, -1, inputWidth);
        string encoded;
        using (no_grad())
            encoded = OnnxModuleExporter.Emit(graph, encoder, input, "encoder.");
        string norm = graph.AddNode("ReduceL2", [encoded], null, OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        norm = graph.AddNode("Max", [norm, graph.AddConstant("epsilon", new[] { 1e-12f })]);
        graph.AddNode("Div", [encoded, norm], outputName);
        graph.AddOutput(outputName, OnnxDataType.Float, -1, dimension);
        OnnxModelMetadata.Write(graph, description);
        return graph.ToBytes();
    }
}
