namespace MlNetExt.Regression.Gaussian;

/// <summary>The nonlinearity between the hidden layers of a <see cref="NeuralGaussianTrainer"/>'s network.</summary>
public enum GaussianMlpActivation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>x * sigmoid(x): smooth, a good default for smoothly varying means and noise levels.</summary>
    Silu,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>Gaussian error linear unit (exact erf form).</summary>
    Gelu,
}
