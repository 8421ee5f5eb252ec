using MlNetExt.Core.Training;

namespace MlNetExt.Regression.Counts;

/// <summary>
/// Options shared by the neural count trainers: a multilayer perceptron maps standardised features to the
/// log-rate ln μ of every output (one per label slot).
/// </summary>
public abstract class NeuralCountTrainerOptions : NeuralTrainerOptions
{
    /// <summary>Creates options with the count trainers' defaults (batch 256, learning rate 3e-3).</summary>
    protected NeuralCountTrainerOptions()
    {
        BatchSize = 256;
        LearningRate = 3e-3f;
        Epochs = 30;
    }

    /// <summary>Sizes of the hidden layers; empty gives a log-linear (GLM) model.</summary>
    public int[] HiddenLayers = { 64, 64 };

    /// <summary>Activation after each hidden layer.</summary>
    public ActivationKind Activation = ActivationKind.ReLU;

    /// <summary>Dropout probability after each hidden activation (0 = none).</summary>
    public float Dropout = 0f;

    /// <summary>
    /// Optional column of exposures (positive numbers of any type the features accept, e.g. bin durations or trial
    /// lengths; converted to Single for the exported graph like the features): the expected count is
    /// exposure × exp(network), i.e. ln(exposure) is added to the log-rate as a GLM offset. The exported ONNX model
    /// then has a second input of this name. <see langword="null"/>: no exposure.
    /// </summary>
    public string? ExposureColumnName = null;

    /// <summary>Output column: the expected count (a float for a scalar label, else a float vector of the label's size).</summary>
    public string ScoreColumnName = "Score";

    /// <summary>
    /// Standardise features with the training data's mean and standard deviation (folded into the exported ONNX
    /// graph, so scoring needs no extra transformer).
    /// </summary>
    public bool StandardizeFeatures = true;
}
