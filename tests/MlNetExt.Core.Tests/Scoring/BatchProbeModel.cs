using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;

namespace MlNetExt.Core.Tests.Scoring;

/// <summary>
/// A test model whose graph reveals how it is called: <c>Output</c> = Features * 2 (float [batch, 2]) and <c>BatchRows</c>
/// = the number of rows in the ONNX Runtime call (float [batch, 1]); the chain then turns BatchRows into the scalar column
/// <c>BatchSize</c> with a standard post-processing transformer and drops it.
/// </summary>
public sealed class BatchProbeModel : OnnxModelTransformer, IOnnxModelFactory<BatchProbeModel>
{
    public const string Kind = "test_batch_probe";

    private BatchProbeModel(TransformerChain<ITransformer> model, byte[] onnx) : base(model, onnx, TrainingHistory.Empty)
    {
    }

    public static string OnnxModelKind => Kind;

    public static byte[] Graph()
    {
        var graph = new OnnxGraphBuilder("batch_probe");
        string x = graph.AddInput("Features", OnnxDataType.Float, -1, 2);
        graph.AddNode("Mul", [x, graph.AddConstant("two", [2f])], "Output");
        string ones = graph.AddNode("Add", [graph.AddNode("Mul", [x, graph.AddConstant("zero", [0f])]), graph.AddConstant("one", [1f])]);
        string column = graph.AddNode("ReduceMean", [ones], null, OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        string rows = graph.AddNode("ReduceSum", [column, graph.AddConstant("batch_axis", [0L], 1)], null, OnnxAttribute.Int("keepdims", 1));
        graph.AddNode("Mul", [column, rows], "BatchRows");
        graph.AddOutput("Output", OnnxDataType.Float, -1, 2);
        graph.AddOutput("BatchRows", OnnxDataType.Float, -1, 1);
        OnnxModelMetadata.Write(graph, new OnnxModelDescription(Kind, [new("Features", "float", [-1, 2], "features")],
            [new("Output", "float", [-1, 2], "features times two"), new("BatchRows", "float", [-1, 1], "rows in the call")],
            MetadataJson.Serialize(new { network = "probe" }), TrainingHistory.Empty));
        return graph.ToBytes();
    }

    public static BatchProbeModel Create(MLContext ml, DataViewSchema inputSchema)
    {
        var onnx = Graph();
        var apply = OnnxTransformerFactory.Create(ml, onnx, ["Output", "BatchRows"], ["Features"], inputSchema);
        var schema = apply.GetOutputSchema(inputSchema);
        var toScalar = OnnxTransformerFactory.VectorToScalar(ml, "BatchSize", "BatchRows", schema);
        schema = toScalar.GetOutputSchema(schema);
        var drop = ml.Transforms.DropColumns("BatchRows").Fit(new SchemaOnlyDataView(schema));
        return new BatchProbeModel(new TransformerChain<ITransformer>(apply, toScalar, drop), onnx);
    }

    public static BatchProbeModel Restore(MLContext context, RestoredOnnxModel parts) => new(parts.Model, parts.OnnxModel);
}
