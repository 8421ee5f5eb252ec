using MlNetExt.Core.Training;

namespace MlNetExt.Regression;

/// <summary>Activation between the hidden layers of the regressors' multilayer perceptrons.</summary>
/// <remarks>Replaced by <see cref="ActivationKind"/>, shared by every MlNetExt network; the values are the same numbers,
/// so <c>(ActivationKind)HiddenActivation.Relu</c> is <see cref="ActivationKind.ReLU"/>.</remarks>
[Obsolete("Use MlNetExt.Core.Training.ActivationKind (same values; ReLU, GELU and SiLU are spelled as TorchSharp's modules).")]
public enum HiddenActivation
{
    /// <summary>max(0, x).</summary>
    Relu = ActivationKind.ReLU,
    /// <summary>tanh(x).</summary>
    Tanh = ActivationKind.Tanh,
    /// <summary>Gaussian error linear unit (exact, erf form).</summary>
    Gelu = ActivationKind.GELU,
    /// <summary>x · sigmoid(x).</summary>
    Silu = ActivationKind.SiLU,
    /// <summary>ln(1 + eˣ).</summary>
    Softplus = ActivationKind.Softplus,
}
