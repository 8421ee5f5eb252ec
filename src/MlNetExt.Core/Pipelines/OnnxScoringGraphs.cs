using System.Runtime.CompilerServices;
using Microsoft.ML;

namespace MlNetExt.Core.Pipelines;

/// <summary>The ONNX model an ML.NET ONNX transformer runs, and the context whose GPU settings and log apply to it.</summary>
/// <param name="Model">The ONNX bytes (not copied; never modified).</param>
/// <param name="Context">The context the transformer was created or loaded with.</param>
internal sealed record OnnxScoringGraph(byte[] Model, MLContext Context);

/// <summary>
/// Remembers which ONNX model each ONNX transformer of an MlNetExt model runs (ML.NET keeps it internal), so that
/// <see cref="Models.OnnxModelTransformer.Transform"/> can score the same graph in batches with its own session. Filled by
/// <see cref="OnnxTransformerFactory.Create"/> (fitted models) and by <c>DeepLearning().Model.Load</c> (loaded models, from
/// the zip). Entries live exactly as long as their transformer.
/// </summary>
internal static class OnnxScoringGraphs
{
    private static readonly ConditionalWeakTable<ITransformer, OnnxScoringGraph> Graphs = new();

    /// <summary>Records that <paramref name="onnxTransformer"/> runs <paramref name="model"/>.</summary>
    public static void Register(ITransformer onnxTransformer, byte[] model, MLContext context)
        => Graphs.AddOrUpdate(onnxTransformer, new OnnxScoringGraph(model, context));

    /// <summary>The graph <paramref name="onnxTransformer"/> runs, when it was recorded.</summary>
    public static bool TryGet(ITransformer onnxTransformer, out OnnxScoringGraph graph) => Graphs.TryGetValue(onnxTransformer, out graph!);
}
