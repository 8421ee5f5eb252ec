using MlNetExt.Core.Onnx;
using MlNetExt.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// The computation both ResNet blocks share: conv-bn pairs with a ReLU between them, then the residual connection
/// (through the <c>downsample</c> projection when there is one) and a final ReLU. The pairs are named
/// <c>conv1</c>/<c>bn1</c>, <c>conv2</c>/<c>bn2</c>, ... as in torchvision.
/// </summary>
internal static class ResNetResidualPath
{
    /// <summary>relu(bnN(convN(... relu(bn1(conv1(x))) ...)) + identity).</summary>
    public static Tensor Forward(Tensor input, nn.Module<Tensor, Tensor>? downsample,
        params (nn.Module<Tensor, Tensor> Conv, nn.Module<Tensor, Tensor> Bn)[] layers)
    {
        using var scope = NewDisposeScope();
        var x = input;
        for (int i = 0; i < layers.Length; i++)
        {
            x = layers[i].Bn.call(layers[i].Conv.call(x));
            if (i < layers.Length - 1)
                x = x.relu_();
        }
        var identity = downsample is null ? input : downsample.call(input);
        return x.PlusInPlace(identity).relu_().MoveToOuterDisposeScope();
    }

    /// <summary>Emits the same computation (Conv, BatchNormalization, Relu, Add) into an ONNX graph.</summary>
    public static string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix, nn.Module<Tensor, Tensor>? downsample,
        params (nn.Module<Tensor, Tensor> Conv, nn.Module<Tensor, Tensor> Bn)[] layers)
    {
        string x = input;
        for (int i = 0; i < layers.Length; i++)
        {
            if (i > 0)
                x = graph.AddNode("Relu", [x]);
            string n = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            x = VisionOnnxEmitter.ConvBatchNorm(graph, layers[i].Conv, layers[i].Bn, x, $"{parameterPrefix}conv{n}.", $"{parameterPrefix}bn{n}.");
        }
        string identity = downsample is null ? input : VisionOnnxEmitter.Sequence(graph, downsample, input, parameterPrefix + "downsample.");
        return graph.AddNode("Relu", [graph.AddNode("Add", [x, identity])]);
    }

    /// <summary>The 1x1 conv-bn projection of the identity when the block changes the shape; null otherwise.</summary>
    public static nn.Module<Tensor, Tensor>? Downsample(long inplanes, long outplanes, long stride) =>
        stride != 1 || inplanes != outplanes ? ResNet.DownsampleProjection(inplanes, outplanes, stride) : null;
}
