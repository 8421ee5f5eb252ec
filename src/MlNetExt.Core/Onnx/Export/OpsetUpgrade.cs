using Google.Protobuf;
using MlNetExt.Core.Onnx.Protobuf;

namespace MlNetExt.Core.Onnx.Export;

/// <summary>
/// Rewrites the default-domain operators whose signature changed between opset 12 (what ML.NET's converter writes) and
/// opset 17 (what MlNetExt graphs declare): Squeeze, Unsqueeze and ReduceSum take <c>axes</c>, and Split takes
/// <c>split</c>, as an int64 input instead of an attribute since opset 13. Other operators used by the converter kept
/// their meaning up to opset 17.
/// </summary>
internal static class OpsetUpgrade
{
    private static readonly Dictionary<string, string> AttributeBecameInput = new(StringComparer.Ordinal)
    {
        ["Squeeze"] = "axes",
        ["Unsqueeze"] = "axes",
        ["ReduceSum"] = "axes",
        ["Split"] = "split",
    };

    public static void ToOpset17(GraphProto graph)
    {
        int count = 0;
        foreach (var node in graph.Node)
        {
            if (node.Domain.Length != 0 || !AttributeBecameInput.TryGetValue(node.OpType, out var name))
                continue;
            var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
            if (attribute is null)
                continue;
            node.Attribute.Remove(attribute);
            string tensorName = $"opset17.{node.OpType}.{name}.{count++}";
            var tensor = new TensorProto { Name = tensorName, DataType = (int)OnnxDataType.Int64, Dims = { attribute.Ints.Count } };
            tensor.Int64Data.AddRange(attribute.Ints);
            graph.Initializer.Add(tensor);
            // The new input comes right after the data input (Split's and ReduceSum's only other input).
            while (node.Input.Count < 1)
                node.Input.Add("");
            node.Input.Insert(1, tensorName);
        }
    }
}
