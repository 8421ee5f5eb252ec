using TorchSharp.Modules;

namespace MlNetExt.Core.Onnx.Export;

/// <summary>2-D pooling.</summary>
internal static class PoolingExport
{
    public static string EmitMaxPool(ExportSite site, MaxPool2d pool, string input)
    {
        long[] kernel = Expand(pool.kernel_size, 1);
        long[] stride = pool.stride is null || pool.stride.Length == 0 ? kernel : Expand(pool.stride, 1);
        long[] padding = Expand(pool.padding, 0);
        long[] dilation = Expand(pool.dilation, 1);
        return site.Graph.AddNode("MaxPool", [input], null,
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", stride),
            OnnxAttribute.Ints("pads", [.. padding, .. padding]),
            OnnxAttribute.Ints("dilations", dilation),
            OnnxAttribute.Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    public static string EmitAvgPool(ExportSite site, AvgPool2d pool, string input)
    {
        if (pool.divisor_override is not null)
            throw site.Unsupported(pool, "divisor_override has no ONNX AveragePool equivalent");
        long[] kernel = Expand(pool.kernel_size, 1);
        long[] stride = pool.stride is null || pool.stride.Length == 0 ? kernel : Expand(pool.stride, 1);
        long[] padding = Expand(pool.padding, 0);
        return site.Graph.AddNode("AveragePool", [input], null,
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", stride),
            OnnxAttribute.Ints("pads", [.. padding, .. padding]),
            OnnxAttribute.Int("count_include_pad", pool.count_include_pad ? 1 : 0),
            OnnxAttribute.Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    /// <summary>AdaptiveAvgPool2d with output 1x1 is GlobalAveragePool; other output sizes are not supported.</summary>
    public static string EmitAdaptiveAvgPool(ExportSite site, AdaptiveAvgPool2d pool, string input)
    {
        long[] size = pool.output_size;
        if (size is null || size.Length == 0 || size.Any(s => s != 1))
            throw site.Unsupported(pool, $"only output size 1x1 is supported (GlobalAveragePool), found [{string.Join(", ", size ?? [])}]");
        return site.Graph.AddNode("GlobalAveragePool", [input]);
    }

    private static long[] Expand(long[]? values, long fallback)
    {
        if (values is null || values.Length == 0)
            return [fallback, fallback];
        if (values.Length == 1)
            return [values[0], values[0]];
        return values;
    }
}
