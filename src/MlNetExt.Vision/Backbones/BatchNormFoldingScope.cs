using System.Runtime.CompilerServices;
using MlNetExt.Core.Onnx;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// Marks ONNX graphs whose conv-BatchNorm pairs the vision modules fold while emitting. Keyed by the graph
/// object (weakly), so concurrent exports of different graphs do not interfere.
/// </summary>
internal static class BatchNormFoldingScope
{
    private static readonly ConditionalWeakTable<OnnxGraphBuilder, object> FoldingGraphs = new();

    public static bool IsEnabled(OnnxGraphBuilder graph) => FoldingGraphs.TryGetValue(graph, out _);

    public static void Enable(OnnxGraphBuilder graph) => FoldingGraphs.AddOrUpdate(graph, new object());
}
