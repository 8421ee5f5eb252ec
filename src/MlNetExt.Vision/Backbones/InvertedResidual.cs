using MlNetExt.Core.Onnx;
using MlNetExt.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// torchvision's MobileNetV2 <c>InvertedResidual</c>: submodule <c>conv</c> =
/// [1x1 expand conv-bn-relu6 (when the expansion is not 1)], 3x3 depthwise conv-bn-relu6, 1x1 linear projection
/// conv, BatchNorm; plus the input when stride is 1 and the channel count is unchanged.
/// </summary>
public sealed class InvertedResidual : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    internal readonly nn.Module<Tensor, Tensor> Conv;
    internal readonly bool UseResidual;

    /// <summary>Creates a block.</summary>
    public InvertedResidual(long inChannels, long outChannels, long stride, long expandRatio, double batchNormEpsilon,
        bool tensorFlowSamePadding) : base(nameof(InvertedResidual))
    {
        long hidden = inChannels * expandRatio;
        UseResidual = stride == 1 && inChannels == outChannels;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        if (expandRatio != 1)
        {
            layers.Add(("0", new ConvNormActivation(inChannels, hidden, 1, 1, 1, ConvActivation.ReLU6, batchNormEpsilon, false)));
        }

        layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new ConvNormActivation(hidden, hidden, 3, stride, hidden, ConvActivation.ReLU6, batchNormEpsilon, tensorFlowSamePadding)));
        layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            nn.Conv2d(hidden, outChannels, 1, bias: false)));
        layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new ExplicitScalarBatchNorm2d(outChannels, eps: batchNormEpsilon)));
        Conv = nn.Sequential(layers);
        register_module("conv", Conv);
    }

    /// <summary>conv(x) (+ x).</summary>
    public override Tensor forward(Tensor input)
    {
        if (!UseResidual)
        {
            return Conv.call(input);
        }

        using var y = Conv.call(input);
        return y.Plus(input);
    }

    /// <summary>Emits the block (and the residual Add) into an ONNX graph.</summary>
    public string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix)
    {
        string y = VisionOnnxEmitter.Sequence(graph, Conv, input, parameterPrefix + "conv.");
        return UseResidual ? graph.AddNode("Add", [y, input]) : y;
    }
}
