using MlNetExt.Core.Torch;
using static TorchSharp.torch;

namespace MlNetExt.Core.Training;

/// <summary>Builds the TorchSharp module of an <see cref="ActivationKind"/>.</summary>
internal static class Activations
{
    /// <summary>A new activation module; the Core exporter writes every kind to ONNX.</summary>
    public static nn.Module<Tensor, Tensor> Create(ActivationKind activation) => activation switch
    {
        ActivationKind.ReLU => nn.ReLU(),
        ActivationKind.Tanh => nn.Tanh(),
        ActivationKind.GELU => nn.GELU(),
        ActivationKind.SiLU => nn.SiLU(),
        ActivationKind.Softplus => new ExplicitScalarSoftplus(),   // nn.Softplus passes implicit Scalars (docs/torchsharp-rules.md)
        ActivationKind.Sigmoid => nn.Sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
