using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Turns a fitted CCA (encoders and the final linear CCA) into a <see cref="CcaModel"/>: the combined ONNX graph
/// scored by one ApplyOnnxModel transformer (after a ConvertType to Single for a view of
/// another numeric type).</summary>
internal static class CcaModelBuilder
{
    /// <summary>Exports the graph and wraps it; the encoders (if any) must be on the CPU in eval mode.</summary>
    public static CcaModel Create(MLContext context, DataViewSchema inputSchema, CcaArchitecture architecture,
        nn.Module? encoderA, nn.Module? encoderB, LinearCcaSolution solution, TrainingHistory history)
    {
        var onnx = CcaOnnxGraph.Build(architecture, encoderA, encoderB, solution, history);
        var (a, b) = (architecture.ViewA, architecture.ViewB);
        var scoring = OnnxInputColumns.Score(context, onnx, [a.OutputColumn, b.OutputColumn], [a.InputColumn, b.InputColumn], inputSchema);
        return new CcaModel(context, new TransformerChain<ITransformer>([.. scoring]), onnx, history, solution.Correlations, architecture);
    }
}
