using MlNetExt.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Regression;

/// <summary>Activation between the hidden layers of the regressors' multilayer perceptrons.</summary>
public enum HiddenActivation
{
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>Gaussian error linear unit (exact, erf form).</summary>
    Gelu,
    /// <summary>x · sigmoid(x).</summary>
    Silu,
    /// <summary>ln(1 + eˣ).</summary>
    Softplus,
}

/// <summary>Builds the TorchSharp module for a <see cref="HiddenActivation"/>.</summary>
internal static class HiddenActivations
{
    /// <summary>A new activation module; every kind exports to ONNX with the Core exporter.</summary>
    public static nn.Module<Tensor, Tensor> Create(HiddenActivation activation) => activation switch
    {
        HiddenActivation.Relu => nn.ReLU(),
        HiddenActivation.Tanh => nn.Tanh(),
        HiddenActivation.Gelu => nn.GELU(),
        HiddenActivation.Silu => nn.SiLU(),
        HiddenActivation.Softplus => new ExplicitScalarSoftplus(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
