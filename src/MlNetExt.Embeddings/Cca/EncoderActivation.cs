namespace MlNetExt.Embeddings.Cca;

/// <summary>Hidden-layer activation of the default MLP encoders.</summary>
public enum EncoderActivation
{
    /// <summary>tanh.</summary>
    Tanh,

    /// <summary>ReLU.</summary>
    ReLU,

    /// <summary>Logistic sigmoid (the DCCA paper's choice).</summary>
    Sigmoid,

    /// <summary>GELU.</summary>
    Gelu,
}
