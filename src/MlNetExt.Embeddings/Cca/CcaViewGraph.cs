using Google.Protobuf;
using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx.Protobuf;

namespace MlNetExt.Embeddings.Cca;

/// <summary>
/// Cuts one view's standalone graph (input: the view column, output: its canonical variates) out of a CCA model's
/// combined graph: the nodes, initializers and inputs that output needs, nothing else. Working on the saved graph rather
/// than the TorchSharp modules means a model loaded back (custom encoders included) gives the same per-view bytes as the
/// fitted one. The view graph's metadata are the combined graph's, with kind <c>cca_view</c>, the view's own inputs and
/// outputs, and <c>mlnetext.view</c>.
/// </summary>
internal static class CcaViewGraph
{
    /// <summary>Both views' graphs, keyed by <see cref="CcaModel.ViewAOnnxModelName"/> and <see cref="CcaModel.ViewBOnnxModelName"/>.</summary>
    public static IReadOnlyDictionary<string, byte[]> ExtractBoth(byte[] combined, CcaArchitecture architecture) =>
        new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [CcaModel.ViewAOnnxModelName] = Extract(combined, architecture.ViewA, architecture.Components, CcaModel.ViewAOnnxModelName, "view A"),
            [CcaModel.ViewBOnnxModelName] = Extract(combined, architecture.ViewB, architecture.Components, CcaModel.ViewBOnnxModelName, "view B"),
        };

    private static byte[] Extract(byte[] combined, CcaViewArchitecture view, int components, string viewName, string description)
    {
        var model = ModelProto.Parser.ParseFrom(combined);
        var graph = model.Graph ?? throw new InvalidDataException("The CCA model's ONNX bytes have no graph.");
        if (graph.Output.All(o => o.Name != view.OutputColumn))
            throw new InvalidDataException($"The CCA model's ONNX graph has no output '{view.OutputColumn}'.");

        // The builder writes nodes in topological order: walking back from the output finds every node it depends on.
        var needed = new HashSet<string>(StringComparer.Ordinal) { view.OutputColumn };
        var kept = new List<NodeProto>();
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains))
                continue;
            kept.Add(node);
            foreach (var input in node.Input.Where(n => n.Length > 0))
                needed.Add(input);
        }
        kept.Reverse();
        if (graph.Input.All(i => i.Name != view.InputColumn) || !needed.Contains(view.InputColumn))
            throw new InvalidDataException($"The CCA model's output '{view.OutputColumn}' does not read the input '{view.InputColumn}'.");

        Keep(graph.Node, kept.Contains);
        Keep(graph.Initializer, t => needed.Contains(t.Name));
        Keep(graph.Input, v => needed.Contains(v.Name));
        Keep(graph.Output, v => v.Name == view.OutputColumn);
        Keep(graph.ValueInfo, v => needed.Contains(v.Name));
        graph.Name = $"mlnetext_cca_{viewName}";

        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        metadata[OnnxModelMetadata.Model] = CcaModel.ViewKind;
        metadata[OnnxModelMetadata.Inputs] = MetadataJson.Serialize(new[] { CcaOnnxGraph.Input(view, description) });
        metadata[OnnxModelMetadata.Outputs] = MetadataJson.Serialize(new[] { CcaOnnxGraph.Output(view, components, description) });
        metadata[CcaModel.ViewKey] = viewName;
        model.MetadataProps.Clear();
        model.MetadataProps.AddRange(metadata.Select(p => new StringStringEntryProto { Key = p.Key, Value = p.Value }));
        return model.ToByteArray();
    }

    private static void Keep<T>(Google.Protobuf.Collections.RepeatedField<T> items, Func<T, bool> keep)
    {
        var kept = items.Where(keep).ToArray();
        items.Clear();
        items.AddRange(kept);
    }
}
