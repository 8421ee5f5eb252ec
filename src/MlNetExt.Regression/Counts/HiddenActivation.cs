namespace MlNetExt.Regression.Counts;

/// <summary>Activation between the hidden layers of a neural count model.</summary>
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
