using MlNetExt.Core.Training;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Options of deep CCA (<c>mlContext.DeepLearning().Transforms.DeepCca(options)</c>).</summary>
/// <remarks>
/// Deep CCA trains through MlNetExt's training loop, so every inherited option works as for the other trainers:
/// <see cref="NeuralTrainerOptions.BatchSize"/> (or <see cref="FullBatch"/>), <see cref="NeuralTrainerOptions.Optimizer"/>,
/// <see cref="NeuralTrainerOptions.WeightDecay"/>, <see cref="NeuralTrainerOptions.LearningRateSchedule"/>,
/// <see cref="NeuralTrainerOptions.GradientClipNorm"/>, <see cref="NeuralTrainerOptions.Device"/>, validation
/// (<see cref="NeuralTrainerOptions.ValidationSet"/> or <see cref="NeuralTrainerOptions.ValidationFraction"/>),
/// <see cref="NeuralTrainerOptions.EarlyStopping"/>, <see cref="NeuralTrainerOptions.CancellationToken"/>,
/// <see cref="NeuralTrainerOptions.Progress"/> and the divergence guard. The loss is minus the total correlation of the
/// top-k components of a batch (so the validation loss is minus that of the held-out rows). A null
/// <see cref="NeuralTrainerOptions.Seed"/> is drawn from the MLContext when the estimator is created.
/// LabelColumnName and FeatureColumnName are not used.
/// </remarks>
public sealed class DeepCcaOptions : NeuralTrainerOptions
{
    /// <summary>Creates options with deep-CCA defaults (batch size 512, learning rate 1e-3, 100 epochs).</summary>
    public DeepCcaOptions()
    {
        BatchSize = 512;
        Epochs = 100;
    }

    /// <summary>The first view: a known-size numeric vector column.</summary>
    /// <remarks>Single, Double, an integer type or Boolean: the model converts another type to Single (ML.NET's
    /// <c>ConvertType</c>, in place) before its ONNX graph, which reads floats; Double is rounded to the nearest Single,
    /// Boolean true is 1. Other types are refused before training.</remarks>
    public string ViewAColumnName = "ViewA";

    /// <summary>The second view: a known-size numeric vector column (types as <see cref="ViewAColumnName"/>).</summary>
    public string ViewBColumnName = "ViewB";

    /// <summary>Output column of view A's canonical variates.</summary>
    public string ViewAOutputColumnName = "ViewAEmbedding";

    /// <summary>Output column of view B's canonical variates.</summary>
    public string ViewBOutputColumnName = "ViewBEmbedding";

    /// <summary>Number k of canonical correlations maximised and of output components.</summary>
    public int Components = 2;

    /// <summary>Width of each encoder's output (null: <see cref="Components"/>); must be at least <see cref="Components"/>.</summary>
    public int? EncoderOutputDimension = null;

    /// <summary>Hidden layer widths of the default MLP encoders.</summary>
    public int[] HiddenLayers = { 64, 64 };

    /// <summary>Hidden activation of the default MLP encoders.</summary>
    public ActivationKind Activation = ActivationKind.Tanh;

    /// <summary>Custom encoder of view A: (input width, output width) -> module; it must be exportable by MlNetExt's ONNX exporter.</summary>
    public Func<int, int, nn.Module<Tensor, Tensor>>? ViewAEncoderFactory = null;

    /// <summary>Custom encoder of view B, as <see cref="ViewAEncoderFactory"/>.</summary>
    public Func<int, int, nn.Module<Tensor, Tensor>>? ViewBEncoderFactory = null;

    /// <summary>Ridge r added to both covariance matrices in the loss and in the final linear CCA.</summary>
    public double Regularization = 1e-3;

    /// <summary>Eigenvalue floor of the inverse square roots in the loss.</summary>
    public double EigenvalueEpsilon = 1e-9;

    /// <summary>Train on the whole training set as one batch (overrides <see cref="NeuralTrainerOptions.BatchSize"/>).</summary>
    public bool FullBatch = false;

    /// <summary>A shallow copy with another batch size (used for full-batch training).</summary>
    internal DeepCcaOptions WithBatchSize(int batchSize)
    {
        var copy = (DeepCcaOptions)MemberwiseClone();
        copy.BatchSize = batchSize;
        return copy;
    }
}
