using MlNetExt.Core.Onnx;
using MlNetExt.Core.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>ONNX emission shared by the vision modules: conv-BatchNorm pairs (kept or folded) and sequences of them.</summary>
internal static class VisionOnnxEmitter
{
    /// <summary>
    /// Emits <c>bn(conv(x))</c>. When the graph folds BatchNorm, one Conv with folded weight and bias
    /// (initializers <c>convPrefix + "folded_weight"</c> / <c>"folded_bias"</c>); otherwise Conv and
    /// BatchNormalization with the state-dict names. <paramref name="sameUpper"/> pads like TensorFlow "same".
    /// </summary>
    public static string ConvBatchNorm(OnnxGraphBuilder graph, nn.Module conv, nn.Module bn, string input,
        string convPrefix, string bnPrefix, bool sameUpper = false)
    {
        var convolution = (Conv2d)conv;
        var norm = (BatchNorm)bn;
        if (!BatchNormFoldingScope.IsEnabled(graph))
        {
            string x = sameUpper
                ? Conv(graph, convolution, input, graph.AddInitializer(convPrefix + "weight", convolution.weight!),
                    convolution.bias is null ? null : graph.AddInitializer(convPrefix + "bias", convolution.bias), true)
                : OnnxModuleExporter.Emit(graph, conv, input, convPrefix);
            return OnnxModuleExporter.Emit(graph, bn, x, bnPrefix);
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var weight = convolution.weight!.detach().to(ScalarType.Float64);
        long outChannels = weight.shape[0];
        var gamma = norm.weight?.detach().to(ScalarType.Float64) ?? torch.ones(outChannels, ScalarType.Float64);
        var beta = norm.bias?.detach().to(ScalarType.Float64) ?? torch.zeros(outChannels, ScalarType.Float64);
        var mean = norm.running_mean!.detach().to(ScalarType.Float64);
        var variance = norm.running_var!.detach().to(ScalarType.Float64);
        var convBias = convolution.bias?.detach().to(ScalarType.Float64) ?? torch.zeros(outChannels, ScalarType.Float64);
        var scale = gamma / variance.Plus(norm.eps).sqrt();
        var foldedWeight = (weight * scale.reshape(-1, 1, 1, 1)).to(ScalarType.Float32);
        var foldedBias = ((convBias - mean) * scale).Plus(beta).to(ScalarType.Float32);
        return Conv(graph, convolution, input, graph.AddInitializer(convPrefix + "folded_weight", foldedWeight),
            graph.AddInitializer(convPrefix + "folded_bias", foldedBias), sameUpper);
    }

    /// <summary>
    /// Emits a Sequential child by child, emitting each Conv2d directly followed by a BatchNorm2d as a pair
    /// (so it can be folded) and recursing into nested Sequentials.
    /// </summary>
    public static string Sequence(OnnxGraphBuilder graph, nn.Module sequential, string input, string prefix)
    {
        var children = sequential.named_children().ToList();
        string x = input;
        for (int i = 0; i < children.Count; i++)
        {
            var (name, child) = children[i];
            if (child is Conv2d && i + 1 < children.Count && children[i + 1].module is BatchNorm)
            {
                x = ConvBatchNorm(graph, child, children[i + 1].module, x, prefix + name + ".", prefix + children[i + 1].name + ".");
                i++;
            }
            else if (child is Sequential)
            {
                x = Sequence(graph, child, x, prefix + name + ".");
            }
            else
            {
                x = OnnxModuleExporter.Emit(graph, child, x, prefix + name + ".");
            }
        }

        return x;
    }

    private static string Conv(OnnxGraphBuilder graph, Conv2d conv, string input, string weight, string? bias, bool sameUpper)
    {
        long[] kernel = conv.kernel_size;
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", Pair(conv.stride, 1)),
            OnnxAttribute.Ints("dilations", Pair(conv.dilation, 1)),
            OnnxAttribute.Int("group", conv.groups),
        };
        if (sameUpper)
        {
            attributes.Add(OnnxAttribute.String("auto_pad", "SAME_UPPER"));
        }
        else
        {
            if (conv.padding_type is not null)
            {
                throw new NotSupportedException("Folding BatchNorm into a conv with string padding is not supported.");
            }

            long[] padding = Pair(conv.padding, 0);
            attributes.Add(OnnxAttribute.Ints("pads", padding[0], padding[1], padding[0], padding[1]));
        }

        List<string> inputs = bias is null ? [input, weight] : [input, weight, bias];
        return graph.AddNode("Conv", inputs, null, attributes.ToArray());
    }

    private static long[] Pair(long[]? values, long fallback) => values switch
    {
        null or { Length: 0 } => new[] { fallback, fallback },
        { Length: 1 } => new[] { values[0], values[0] },
        _ => values,
    };
}
