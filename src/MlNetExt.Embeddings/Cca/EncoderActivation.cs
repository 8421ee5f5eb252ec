using MlNetExt.Core.Training;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Old hidden-layer activation of the triplet MLP encoders, superseded by <see cref="ActivationKind"/> (MlNetExt's one
/// activation vocabulary, which <see cref="Triplets.TripletEmbeddingOptions.Activation"/> and deep CCA's
/// <see cref="DeepCcaOptions.Activation"/> use). The numbers differ from <see cref="ActivationKind"/>'s: convert by name, not by
/// casting.</summary>
[Obsolete("Use ActivationKind (MlNetExt.Core.Training): the one activation enum of every MlNetExt network.")]
public enum EncoderActivation
{
    /// <summary>tanh (<see cref="ActivationKind.Tanh"/>).</summary>
    Tanh,

    /// <summary>ReLU (<see cref="ActivationKind.ReLU"/>).</summary>
    ReLU,

    /// <summary>Logistic sigmoid, the DCCA paper's choice (<see cref="ActivationKind.Sigmoid"/>).</summary>
    Sigmoid,

    /// <summary>GELU (<see cref="ActivationKind.GELU"/>).</summary>
    Gelu,
}

/// <summary>Converts <see cref="EncoderActivation"/> to <see cref="ActivationKind"/>.</summary>
[Obsolete("Only for code that still names EncoderActivation.")]
internal static class EncoderActivations
{
    /// <summary>The <see cref="ActivationKind"/> of the same name.</summary>
    /// <param name="activation">An encoder activation.</param>
    public static ActivationKind ToActivationKind(this EncoderActivation activation) => activation switch
    {
        EncoderActivation.Tanh => ActivationKind.Tanh,
        EncoderActivation.ReLU => ActivationKind.ReLU,
        EncoderActivation.Sigmoid => ActivationKind.Sigmoid,
        EncoderActivation.Gelu => ActivationKind.GELU,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown encoder activation."),
    };
}
