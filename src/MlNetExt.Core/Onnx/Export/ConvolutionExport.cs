using TorchSharp;
using TorchSharp.Modules;

namespace MlNetExt.Core.Onnx.Export;

/// <summary>Conv1d / Conv2d / Conv3d with groups, stride, dilation and zero padding (explicit, "same" or "valid").</summary>
internal static class ConvolutionExport
{
    public static string Emit(ExportSite site, Convolution conv, string input)
    {
        if (conv.transposed)
            throw site.Unsupported(conv, "transposed convolutions are not supported");
        if (conv.padding_mode != PaddingModes.Zeros)
            throw site.Unsupported(conv, $"padding mode {conv.padding_mode} is not supported (only Zeros)");

        long[] kernel = conv.kernel_size;
        int spatial = kernel.Length;
        long[] stride = Expand(conv.stride, spatial, 1);
        long[] dilation = Expand(conv.dilation, spatial, 1);
        long[] pads = Pads(site, conv, kernel, dilation);

        var graph = site.Graph;
        string weight = site.Initializer("weight", conv.weight);
        List<string> inputs = [input, weight];
        if (conv.bias is not null)
            inputs.Add(site.Initializer("bias", conv.bias));
        return graph.AddNode("Conv", inputs, null,
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", stride),
            OnnxAttribute.Ints("dilations", dilation),
            OnnxAttribute.Ints("pads", pads),
            OnnxAttribute.Int("group", conv.groups));
    }

    /// <summary>ONNX pads: all begins, then all ends.</summary>
    private static long[] Pads(ExportSite site, Convolution conv, long[] kernel, long[] dilation)
    {
        int spatial = kernel.Length;
        var pads = new long[2 * spatial];
        if (conv.padding_type == Padding.Same)
        {
            // PyTorch's "same": total padding dilation * (k - 1), the smaller half before.
            for (int i = 0; i < spatial; i++)
            {
                long total = dilation[i] * (kernel[i] - 1);
                pads[i] = total / 2;
                pads[spatial + i] = total - total / 2;
            }
        }
        else if (conv.padding_type is null)
        {
            long[] padding = Expand(conv.padding, spatial, 0);
            for (int i = 0; i < spatial; i++)
            {
                if (padding[i] < 0)
                    throw site.Unsupported(conv, $"negative padding {padding[i]}");
                pads[i] = padding[i];
                pads[spatial + i] = padding[i];
            }
        }
        return pads;
    }

    private static long[] Expand(long[]? values, int count, long fallback)
    {
        if (values is null || values.Length == 0)
            return Enumerable.Repeat(fallback, count).ToArray();
        if (values.Length == 1 && count > 1)
            return Enumerable.Repeat(values[0], count).ToArray();
        return values;
    }
}
