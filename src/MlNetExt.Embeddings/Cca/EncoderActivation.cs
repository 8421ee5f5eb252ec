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
