using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;

namespace MlNetExt.Core.Tests.Models;

/// <summary>A tiny MlNetExt model for the tests of Core's model plumbing: Output = Features * Factor.</summary>
public sealed class ScaleModel : OnnxModelTransformer, IOnnxModelFactory<ScaleModel>
{
    public const string Kind = "test_scale";
    private const string FactorKey = "mlnetext.factor";

    private ScaleModel(TransformerChain<ITransformer> model, byte[] onnx, TrainingHistory history, float factor)
        : base(model, onnx, history, new Dictionary<string, byte[]> { ["Scale"] = onnx, ["Copy"] = onnx })
    {
        Factor = factor;
    }

    public static string OnnxModelKind => Kind;

    public float Factor { get; }

    public static ScaleModel Create(MLContext ml, DataViewSchema inputSchema, int width, float factor, TrainingHistory history)
    {
        var graph = new OnnxGraphBuilder("scale");
        string x = graph.AddInput("Features", OnnxDataType.Float, -1, width);
        graph.AddNode("Mul", [x, graph.AddConstant("factor", [factor])], "Output");
        graph.AddOutput("Output", OnnxDataType.Float, -1, width);
        OnnxModelMetadata.Write(graph, new OnnxModelDescription(Kind, [new("Features", "float", [-1, width], "features")],
            [new("Output", "float", [-1, width], "scaled features")], MetadataJson.Serialize(new { width }), history)
        {
            Extras = new Dictionary<string, string> { [FactorKey] = OnnxModelMetadata.FormatNumber(factor) },
        });
        var onnx = graph.ToBytes();
        var apply = OnnxTransformerFactory.Create(ml, onnx, ["Output"], ["Features"], inputSchema);
        return new ScaleModel(new TransformerChain<ITransformer>(apply), onnx, history, factor);
    }

    public static ScaleModel Restore(MLContext context, RestoredOnnxModel parts)
        => new(parts.Model, parts.OnnxModel, parts.History, (float)OnnxModelMetadata.ReadNumber(parts.Metadata, FactorKey));
}
