using MlNetExt.Core.Onnx;
using MlNetExt.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// torchvision's <c>Bottleneck</c> (ResNet-50, "v1.5": the stride sits on the 3x3 conv): 1x1, 3x3, 1x1 conv-bn
/// with 4x channel expansion and a residual connection.
/// Parameters: <c>conv1..3</c>, <c>bn1..3</c>, <c>downsample.0</c>, <c>downsample.1</c>.
/// </summary>
public sealed class ResNetBottleneck : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Output channels are <c>planes * Expansion</c>.</summary>
    public const int Expansion = 4;

    internal readonly nn.Module<Tensor, Tensor> Conv1;
    internal readonly nn.Module<Tensor, Tensor> Bn1;
    internal readonly nn.Module<Tensor, Tensor> Conv2;
    internal readonly nn.Module<Tensor, Tensor> Bn2;
    internal readonly nn.Module<Tensor, Tensor> Conv3;
    internal readonly nn.Module<Tensor, Tensor> Bn3;
    internal readonly nn.Module<Tensor, Tensor>? Downsample;

    /// <summary>Creates a block from <paramref name="inplanes"/> to <c>planes * 4</c> channels.</summary>
    public ResNetBottleneck(long inplanes, long planes, long stride) : base(nameof(ResNetBottleneck))
    {
        Conv1 = nn.Conv2d(inplanes, planes, 1, bias: false);
        Bn1 = new ExplicitScalarBatchNorm2d(planes);
        Conv2 = nn.Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        Bn2 = new ExplicitScalarBatchNorm2d(planes);
        Conv3 = nn.Conv2d(planes, planes * Expansion, 1, bias: false);
        Bn3 = new ExplicitScalarBatchNorm2d(planes * Expansion);
        register_module("conv1", Conv1);
        register_module("bn1", Bn1);
        register_module("conv2", Conv2);
        register_module("bn2", Bn2);
        register_module("conv3", Conv3);
        register_module("bn3", Bn3);
        register_module("relu", nn.ReLU());
        Downsample = ResNetResidualPath.Downsample(inplanes, planes * Expansion, stride);
        if (Downsample is not null)
            register_module("downsample", Downsample);
    }

    /// <summary>relu(bn3(conv3(...)) + identity).</summary>
    public override Tensor forward(Tensor input) => ResNetResidualPath.Forward(input, Downsample, (Conv1, Bn1), (Conv2, Bn2), (Conv3, Bn3));

    /// <summary>Emits the block (Conv, BatchNormalization, Relu, Add) into an ONNX graph.</summary>
    public string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix) =>
        ResNetResidualPath.EmitOnnx(graph, input, parameterPrefix, Downsample, (Conv1, Bn1), (Conv2, Bn2), (Conv3, Bn3));
}
