using TorchSharp.Modules;

namespace MlNetExt.Core.Onnx.Export;

/// <summary>Shape-changing modules.</summary>
internal static class ShapeExport
{
    /// <summary>Flatten(start_dim = 1, end_dim = -1) is ONNX Flatten with axis 1.</summary>
    public static string EmitFlatten(ExportSite site, Flatten flatten, string input)
    {
        if (flatten.start_dim != 1 || flatten.end_dim != -1)
            throw site.Unsupported(flatten,
                $"only Flatten(start_dim: 1, end_dim: -1) is supported, found start_dim {flatten.start_dim}, end_dim {flatten.end_dim}");
        return site.Graph.AddNode("Flatten", [input], null, OnnxAttribute.Int("axis", 1));
    }
}
