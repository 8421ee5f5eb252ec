using MathNet.Numerics.LinearAlgebra;
using MlNetExt.Core.Onnx;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Builds the ONNX model of one CCA view: [optional encoder] -> subtract mean -> multiply by the projection.</summary>
internal static class CcaProjectionGraph
{
    /// <summary>ONNX bytes mapping input column <paramref name="inputName"/> [batch, width] to <paramref name="outputName"/> [batch, k].</summary>
    public static byte[] Build(string inputName, int inputWidth, string outputName, nn.Module? encoder,
        Vector<double> mean, Matrix<double> projection)
    {
        var graph = new OnnxGraphBuilder("cca_view");
        var value = graph.AddInput(inputName, OnnxDataType.Float, -1, inputWidth);
        if (encoder is not null)
            value = OnnxModuleExporter.Emit(graph, encoder, value, "encoder.");
        var meanName = graph.AddConstant("cca_mean", mean.Select(v => (float)v).ToArray(), 1, mean.Count);
        var centred = graph.AddNode("Sub", new[] { value, meanName });
        var weights = new float[projection.RowCount * projection.ColumnCount];
        for (int i = 0; i < projection.RowCount; i++)
            for (int j = 0; j < projection.ColumnCount; j++)
                weights[i * projection.ColumnCount + j] = (float)projection[i, j];
        var weightName = graph.AddConstant("cca_projection", weights, projection.RowCount, projection.ColumnCount);
        graph.AddNode("MatMul", new[] { centred, weightName }, outputName);
        graph.AddOutput(outputName, OnnxDataType.Float, -1, projection.ColumnCount);
        return graph.ToBytes();
    }
}
