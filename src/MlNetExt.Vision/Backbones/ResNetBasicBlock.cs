using MlNetExt.Core.Onnx;
using MlNetExt.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// torchvision's <c>BasicBlock</c> (ResNet-18/34): two 3x3 conv-bn pairs and a residual connection,
/// with a 1x1 conv-bn <c>downsample</c> projection when the shape changes.
/// Parameters: <c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>downsample.0</c>, <c>downsample.1</c>.
/// </summary>
public sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Output channels are <c>planes * Expansion</c>.</summary>
    public const int Expansion = 1;

    internal readonly nn.Module<Tensor, Tensor> Conv1;
    internal readonly nn.Module<Tensor, Tensor> Bn1;
    internal readonly nn.Module<Tensor, Tensor> Conv2;
    internal readonly nn.Module<Tensor, Tensor> Bn2;
    internal readonly nn.Module<Tensor, Tensor>? Downsample;

    /// <summary>Creates a block from <paramref name="inplanes"/> to <paramref name="planes"/> channels.</summary>
    public ResNetBasicBlock(long inplanes, long planes, long stride) : base(nameof(ResNetBasicBlock))
    {
        Conv1 = nn.Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        Bn1 = new ExplicitScalarBatchNorm2d(planes);
        Conv2 = nn.Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false);
        Bn2 = new ExplicitScalarBatchNorm2d(planes);
        register_module("conv1", Conv1);
        register_module("bn1", Bn1);
        register_module("relu", nn.ReLU());
        register_module("conv2", Conv2);
        register_module("bn2", Bn2);
        Downsample = ResNetResidualPath.Downsample(inplanes, planes * Expansion, stride);
        if (Downsample is not null)
            register_module("downsample", Downsample);
    }

    /// <summary>relu(bn2(conv2(relu(bn1(conv1(x))))) + identity).</summary>
    public override Tensor forward(Tensor input) => ResNetResidualPath.Forward(input, Downsample, (Conv1, Bn1), (Conv2, Bn2));

    /// <summary>Emits the block (Conv, BatchNormalization, Relu, Add) into an ONNX graph.</summary>
    public string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix) =>
        ResNetResidualPath.EmitOnnx(graph, input, parameterPrefix, Downsample, (Conv1, Bn1), (Conv2, Bn2));
}
