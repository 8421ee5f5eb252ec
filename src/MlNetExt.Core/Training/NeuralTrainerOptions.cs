using Microsoft.ML;

namespace MlNetExt.Core.Training;

/// <summary>Options shared by every neural trainer; each trainer's options class derives from this one.</summary>
public class NeuralTrainerOptions
{
    /// <summary>The label column.</summary>
    public string LabelColumnName = "Label";

    /// <summary>The feature column.</summary>
    /// <remarks>Every MlNetExt trainer reads numeric features of any of these item types: Single, Double, an integer type or
    /// Boolean (true is 1, false is 0). The fitted model's scoring chain converts a column of another type than Single to
    /// Single (ML.NET's <c>ConvertType</c>, in place) before the exported ONNX graph, which reads floats; Double is rounded
    /// to the nearest Single and integers are exact up to 2^24, as in training. Text and key columns are refused before
    /// training with a message naming the column and these types.</remarks>
    public string FeatureColumnName = "Features";

    /// <summary>Number of passes over the training data.</summary>
    public int Epochs = 50;

    /// <summary>Rows per minibatch.</summary>
    public int BatchSize = 64;

    /// <summary>Base learning rate (the peak learning rate for <see cref="LearningRateSchedule.OneCycle"/>).</summary>
    public float LearningRate = 1e-3f;

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer = OptimizerKind.AdamW;

    /// <summary>Momentum of <see cref="OptimizerKind.Sgd"/>; ignored by the other optimizers.</summary>
    public float Momentum = 0.9f;

    /// <summary>Weight decay: decoupled for <see cref="OptimizerKind.AdamW"/>, an L2 penalty for Adam and SGD.</summary>
    public float WeightDecay = 0f;

    /// <summary>When set, gradients are scaled so that their total L2 norm over all trained parameters is at most this value.</summary>
    public float? GradientClipNorm = null;

    /// <summary>The learning-rate schedule, stepped once per minibatch.</summary>
    public LearningRateSchedule LearningRateSchedule = LearningRateSchedule.Constant;

    /// <summary>Validation data; takes precedence over <see cref="ValidationFraction"/>.</summary>
    public IDataView? ValidationSet = null;

    /// <summary>Fraction of the training data held out (seeded) for validation; 0 means no validation split.</summary>
    public float ValidationFraction = 0f;

    /// <summary>Early stopping on the validation loss; needs validation data and restores the best weights.</summary>
    public EarlyStoppingOptions? EarlyStopping = null;

    /// <summary>Called at the end of every epoch with the losses, learning rate and metrics.</summary>
    public Action<TrainingProgress>? Progress = null;

    /// <summary>Called after every minibatch (for live progress displays); keep it cheap.</summary>
    public Action<TrainingBatchProgress>? BatchProgress = null;

    /// <summary>Cancels training between minibatches with an <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken = default;

    /// <summary>
    /// Ends training early but keeps the model (unlike <see cref="CancellationToken"/>, which abandons <c>Fit</c>): once
    /// cancelled, the current minibatch finishes, the partial epoch is validated and recorded like a full one, the best
    /// weights so far are restored (lowest validation loss, else training loss), later stages are skipped, and <c>Fit</c>
    /// returns a model whose history says it stopped early. For a Ctrl+C that keeps the best model so far.
    /// </summary>
    public CancellationToken StopToken = default;

    /// <summary>Data up to this size is cached as tensors; larger data streams through cursors with a shuffle buffer.</summary>
    public long MaxInMemoryBytes = 1L << 30;

    /// <summary>Rows in the shuffle buffer when the data stream through cursors.</summary>
    public int ShuffleBufferSize = 8192;

    /// <summary>Seed of the initialization and shuffling; null derives it from the <see cref="MLContext"/>'s seed.</summary>
    public int? Seed = null;

    /// <summary>The TorchSharp device: "cpu", "cuda" or "cuda:N".</summary>
    public string Device = "cpu";
}
