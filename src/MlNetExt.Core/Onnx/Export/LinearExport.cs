using TorchSharp.Modules;

namespace MlNetExt.Core.Onnx.Export;

/// <summary>Linear: y = x W^T + b, for inputs of any rank (MatMul against the transposed weight, then Add).</summary>
internal static class LinearExport
{
    public static string Emit(ExportSite site, Linear linear, string input)
    {
        var graph = site.Graph;
        string weight = site.Initializer("weight", linear.weight);
        string weightT = graph.AddNode("Transpose", [weight], null, OnnxAttribute.Ints("perm", 1, 0));
        string product = graph.AddNode("MatMul", [input, weightT]);
        if (linear.bias is null)
            return product;
        string bias = site.Initializer("bias", linear.bias);
        return graph.AddNode("Add", [product, bias]);
    }
}
