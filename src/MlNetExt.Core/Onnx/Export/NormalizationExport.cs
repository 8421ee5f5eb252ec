using TorchSharp.Modules;

namespace MlNetExt.Core.Onnx.Export;

/// <summary>BatchNorm (inference: running statistics) and LayerNorm.</summary>
internal static class NormalizationExport
{
    /// <summary>BatchNorm1d/2d/3d in eval mode: ONNX BatchNormalization over the running mean and variance.</summary>
    public static string EmitBatchNorm(ExportSite site, BatchNorm batchNorm, string input)
    {
        if (batchNorm.running_mean is null || batchNorm.running_var is null)
            throw site.Unsupported(batchNorm,
                "it has no running statistics (track_running_stats: false), so inference uses batch statistics, which ONNX BatchNormalization does not");

        var graph = site.Graph;
        long channels = batchNorm.num_features;
        string scale = batchNorm.weight is not null
            ? site.Initializer("weight", batchNorm.weight)
            : graph.AddConstant(site.Prefix + "weight", Enumerable.Repeat(1f, (int)channels).ToArray(), channels);
        string bias = batchNorm.bias is not null
            ? site.Initializer("bias", batchNorm.bias)
            : graph.AddConstant(site.Prefix + "bias", new float[channels], channels);
        string mean = site.Initializer("running_mean", batchNorm.running_mean);
        string variance = site.Initializer("running_var", batchNorm.running_var);
        return graph.AddNode("BatchNormalization", [input, scale, bias, mean, variance], null,
            OnnxAttribute.Float("epsilon", (float)batchNorm.eps));
    }

    /// <summary>LayerNorm over the last normalized_shape.Length axes: ONNX LayerNormalization (opset 17).</summary>
    public static string EmitLayerNorm(ExportSite site, LayerNorm layerNorm, string input)
    {
        var graph = site.Graph;
        long[] shape = layerNorm.normalized_shape;
        string scale = layerNorm.weight is not null
            ? site.Initializer("weight", layerNorm.weight)
            : graph.AddConstant(site.Prefix + "weight", Enumerable.Repeat(1f, (int)shape.Aggregate(1L, (a, b) => a * b)).ToArray(), shape);
        List<string> inputs = [input, scale];
        if (layerNorm.bias is not null)
            inputs.Add(site.Initializer("bias", layerNorm.bias));
        return graph.AddNode("LayerNormalization", inputs, null,
            OnnxAttribute.Int("axis", -shape.Length),
            OnnxAttribute.Float("epsilon", (float)layerNorm.eps));
    }
}
