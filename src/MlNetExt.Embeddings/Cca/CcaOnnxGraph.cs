using MathNet.Numerics.LinearAlgebra;
using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Cca;

/// <summary>
/// Builds a CCA model's ONNX graph: both views side by side, each [optional encoder] -> subtract the mean -> multiply by
/// the projection, with MlNetExt's metadata (kind <c>cca</c>, the architecture, the history and the canonical
/// correlations). The per-view graphs are cut out of it by <see cref="CcaViewGraph"/>.
/// </summary>
internal static class CcaOnnxGraph
{
    /// <summary>The combined graph of a fitted CCA.</summary>
    public static byte[] Build(CcaArchitecture architecture, nn.Module? encoderA, nn.Module? encoderB, LinearCcaSolution solution,
        TrainingHistory history)
    {
        var graph = new OnnxGraphBuilder("mlnetext_cca");
        EmitView(graph, architecture.ViewA, encoderA, solution.MeanA, solution.ProjectionA);
        EmitView(graph, architecture.ViewB, encoderB, solution.MeanB, solution.ProjectionB);
        OnnxModelMetadata.Write(graph, new OnnxModelDescription(CcaModel.Kind,
            [Input(architecture.ViewA, "view A"), Input(architecture.ViewB, "view B")],
            [Output(architecture.ViewA, architecture.Components, "view A"), Output(architecture.ViewB, architecture.Components, "view B")],
            MetadataJson.Serialize(architecture), history)
        {
            Extras = new Dictionary<string, string> { [CcaModel.CorrelationsKey] = MetadataJson.Serialize(solution.Correlations) },
        });
        return graph.ToBytes();
    }

    /// <summary>How <c>mlnetext.inputs</c> describes a view's input.</summary>
    public static OnnxTensorDescription Input(CcaViewArchitecture view, string name) =>
        new(view.InputColumn, "float", [-1, view.InputWidth], $"{name} values");

    /// <summary>How <c>mlnetext.outputs</c> describes a view's canonical variates.</summary>
    public static OnnxTensorDescription Output(CcaViewArchitecture view, int components, string name) =>
        new(view.OutputColumn, "float", [-1, components], $"{name} canonical variates, by decreasing canonical correlation");

    private static void EmitView(OnnxGraphBuilder graph, CcaViewArchitecture view, nn.Module? encoder, Vector<double> mean,
        Matrix<double> projection)
    {
        var value = graph.AddInput(view.InputColumn, OnnxDataType.Float, -1, view.InputWidth);
        if (encoder is not null)
            value = OnnxModuleExporter.Emit(graph, encoder, value, view.StateDictPrefix);
        var meanName = graph.AddConstant(view.StateDictPrefix + "cca_mean", mean.Select(v => (float)v).ToArray(), 1, mean.Count);
        var centred = graph.AddNode("Sub", [value, meanName]);
        var weights = new float[projection.RowCount * projection.ColumnCount];
        for (int i = 0; i < projection.RowCount; i++)
            for (int j = 0; j < projection.ColumnCount; j++)
                weights[i * projection.ColumnCount + j] = (float)projection[i, j];
        var weightName = graph.AddConstant(view.StateDictPrefix + "cca_projection", weights, projection.RowCount, projection.ColumnCount);
        graph.AddNode("MatMul", [centred, weightName], view.OutputColumn);
        graph.AddOutput(view.OutputColumn, OnnxDataType.Float, -1, projection.ColumnCount);
    }
}
