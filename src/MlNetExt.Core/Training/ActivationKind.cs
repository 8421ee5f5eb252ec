namespace MlNetExt.Core.Training;

/// <summary>The activation between the hidden layers of MlNetExt's multilayer perceptrons (the regressors, the CCA and
/// triplet encoders). Names follow TorchSharp's modules; every kind exports to ONNX.</summary>
public enum ActivationKind
{
    /// <summary>max(0, x).</summary>
    ReLU = 0,

    /// <summary>tanh(x).</summary>
    Tanh = 1,

    /// <summary>Gaussian error linear unit (exact, erf form).</summary>
    GELU = 2,

    /// <summary>x · sigmoid(x).</summary>
    SiLU = 3,

    /// <summary>ln(1 + eˣ).</summary>
    Softplus = 4,

    /// <summary>The logistic sigmoid 1 / (1 + e⁻ˣ).</summary>
    Sigmoid = 5,
}
