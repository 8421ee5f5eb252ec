using MlNetExt.Core.Onnx;
using MlNetExt.Core.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>Activation after a conv-bn pair.</summary>
public enum ConvActivation
{
    /// <summary>No activation.</summary>
    None,

    /// <summary>max(x, 0).</summary>
    ReLU,

    /// <summary>min(max(x, 0), 6).</summary>
    ReLU6,
}

/// <summary>
/// torchvision's <c>Conv2dNormActivation</c>: submodules <c>0</c> (Conv2d, no bias), <c>1</c> (BatchNorm2d) and
/// <c>2</c> (activation). With TensorFlow "same" padding a strided conv pads like TensorFlow's
/// "same" (extra row/column at the bottom/right) instead of symmetrically.
/// </summary>
public sealed class ConvNormActivation : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    internal readonly nn.Module<Tensor, Tensor> Conv;
    internal readonly nn.Module<Tensor, Tensor> Norm;
    internal readonly ConvActivation Activation;
    internal readonly long KernelSize;
    internal readonly long Stride;
    internal readonly bool TensorFlowSamePadding;

    /// <summary>Creates the conv-bn-activation triple.</summary>
    public ConvNormActivation(long inChannels, long outChannels, long kernelSize, long stride, long groups,
        ConvActivation activation, double batchNormEpsilon, bool tensorFlowSamePadding)
        : base(nameof(ConvNormActivation))
    {
        KernelSize = kernelSize;
        Stride = stride;
        Activation = activation;
        TensorFlowSamePadding = tensorFlowSamePadding && stride > 1;
        long padding = TensorFlowSamePadding ? 0 : (kernelSize - 1) / 2;
        Conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, groups: groups, bias: false);
        Norm = new ExplicitScalarBatchNorm2d(outChannels, eps: batchNormEpsilon);
        register_module("0", Conv);
        register_module("1", Norm);
        if (activation != ConvActivation.None)
        {
            register_module("2", activation == ConvActivation.ReLU6 ? nn.ReLU6() : nn.ReLU());
        }
    }

    /// <summary>act(bn(conv(pad(x)))).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        if (TensorFlowSamePadding)
        {
            var (top, bottom) = SamePadding(input.shape[2], KernelSize, Stride);
            var (left, right) = SamePadding(input.shape[3], KernelSize, Stride);
            x = nn.functional.pad(input, new[] { left, right, top, bottom });
        }

        x = Norm.call(Conv.call(x));
        x = Activation switch
        {
            ConvActivation.ReLU => x.relu_(),
            ConvActivation.ReLU6 => x.ClampedTo(0, 6),
            _ => x,
        };
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Emits Conv, BatchNormalization and the activation into an ONNX graph. TensorFlow "same" padding becomes the
    /// Conv attribute <c>auto_pad = SAME_UPPER</c>, which pads exactly like TensorFlow for every input size.
    /// </summary>
    public string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string x = VisionOnnxEmitter.ConvBatchNorm(graph, Conv, Norm, input, parameterPrefix + "0.", parameterPrefix + "1.", TensorFlowSamePadding);
        return Activation switch
        {
            ConvActivation.ReLU => graph.AddNode("Relu", [x]),
            ConvActivation.ReLU6 => graph.AddNode("Clip", [x, ScalarConstant(graph, 0f), ScalarConstant(graph, 6f)]),
            _ => x,
        };
    }

    /// <summary>
    /// A float scalar as a <c>Constant</c> node rather than an initializer: the clip bounds are not weights, and an
    /// initializer named after the module would show up as an unexpected key when the exported model's initializers are
    /// loaded back as a state dict.
    /// </summary>
    private static string ScalarConstant(OnnxGraphBuilder graph, float value) =>
        graph.AddNode("Constant", [], null, OnnxAttribute.Float("value_float", value));

    /// <summary>TensorFlow "same" padding of one spatial axis: (before, after), the odd pixel after.</summary>
    internal static (long Before, long After) SamePadding(long size, long kernel, long stride)
    {
        long remainder = size % stride;
        long total = Math.Max(remainder == 0 ? kernel - stride : kernel - remainder, 0);
        return (total / 2, total - total / 2);
    }
}
