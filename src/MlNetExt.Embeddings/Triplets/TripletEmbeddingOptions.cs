using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.ImageAugmentation;
using MlNetExt.Vision.Classification;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>Options of the triplet-loss featurizer (<see cref="TripletEmbeddingCatalog.TripletEmbedding(Microsoft.ML.TransformsCatalog, TripletEmbeddingOptions)"/>).</summary>
/// <remarks>
/// <para>The encoder depends on the input column (<see cref="NeuralTrainerOptions.FeatureColumnName"/>) and <see cref="Backbone"/>:</para>
/// <list type="bullet">
/// <item>an <c>MLImage</c> column (LoadImages): an image encoder, <see cref="Backbone"/> (null: <see cref="ImageBackbone.Default"/>)
/// on images resized to <see cref="ImageSize"/>, then the projection head (<see cref="ProjectionHiddenLayers"/>, then a linear
/// layer to <see cref="EmbeddingDimension"/>);</item>
/// <item>a float vector with <see cref="Backbone"/> set: the same image encoder over raw pixels in [0, 255], planar
/// <c>C x H x W</c> (C = 1 or 3; square images are recognised from the size, others need <see cref="InputChannels"/>,
/// <see cref="InputHeight"/>, <see cref="InputWidth"/>); gray is replicated to RGB and other sizes are resized bilinearly
/// to <see cref="ImageSize"/> inside the model;</item>
/// <item>a numeric vector (Single, Double, an integer type or Boolean; read as floats, and converted to Single by the scoring
/// chain) with <see cref="Backbone"/> null: an MLP (<see cref="HiddenLayers"/>, <see cref="Activation"/>). With an
/// <see cref="Augmentation"/>, the vector must be raw pixels of an image (as above) and is augmented as an image.</item>
/// </list>
/// <para>The output is always L2-normalised (inside the exported ONNX graph).</para>
/// <para>Training runs Core's loop, so the inherited options apply: <see cref="NeuralTrainerOptions.BatchSize"/> is the
/// P x K batch (<see cref="ClassesPerBatch"/> identities of <see cref="ExamplesPerClass"/> rows), and
/// <see cref="NeuralTrainerOptions.Optimizer"/>, weight decay, learning-rate schedule, gradient clipping,
/// <see cref="NeuralTrainerOptions.Device"/>, cancellation, <see cref="NeuralTrainerOptions.Progress"/> and the divergence
/// guard work as for every MlNetExt trainer. <see cref="NeuralTrainerOptions.ValidationFraction"/> holds out whole identities.
/// A null <see cref="NeuralTrainerOptions.Seed"/> derives the seed from the MLContext. <see cref="NeuralTrainerOptions.LabelColumnName"/>
/// is the identity (key, text, Boolean or number).</para>
/// <para>Every epoch's <see cref="TrainingProgress.Metrics"/> hold the training batches' <c>ActiveTripletFraction</c>,
/// <c>MeanPairwiseDistance</c>, <c>MeanTripletLoss</c> and <c>Collapsed</c> (1 or 0; see <see cref="CollapseReport"/>) and, with validation data, the held-out
/// <c>RecallAt1</c> and <c>MeanAveragePrecisionAtR</c>. <see cref="NeuralTrainerOptions.EarlyStopping"/> watches
/// <c>MeanAveragePrecisionAtR</c> unless its <see cref="EarlyStoppingOptions.Metric"/> says otherwise.</para>
/// </remarks>
public sealed class TripletEmbeddingOptions : NeuralTrainerOptions
{
    /// <summary>Creates options with the triplet trainer's defaults: 30 epochs of 32-row batches (8 identities x 4 rows),
    /// Adam at 1e-3.</summary>
    public TripletEmbeddingOptions()
    {
        Epochs = 30;
        BatchSize = 32;
        Optimizer = OptimizerKind.Adam;
        LearningRate = 1e-3f;
    }

    /// <summary>Old name of <see cref="NeuralTrainerOptions.FeatureColumnName"/> (the input column).</summary>
    [Obsolete("Use FeatureColumnName (the name every MlNetExt trainer uses for its input column).")]
    public string InputColumnName
    {
        get => FeatureColumnName;
        set => FeatureColumnName = value;
    }

    /// <summary>Output: the L2-normalised embedding column.</summary>
    public string OutputColumnName = "Embedding";

    /// <summary>Embedding dimension.</summary>
    public int EmbeddingDimension = 128;

    /// <summary>Hidden layer widths of the MLP (float vector input without a <see cref="Backbone"/>).</summary>
    public int[] HiddenLayers = { 256 };

    /// <summary>Hidden activation of the MLP and of the projection head (MlNetExt's one activation enum; default ReLU).</summary>
    public ActivationKind Activation = ActivationKind.ReLU;

    /// <summary>
    /// Image encoder's backbone (architecture and weights: pretrained, from a file or from scratch). Null: an MLP on a
    /// float vector input, or <see cref="ImageBackbone.Default"/> for an MLImage input.
    /// </summary>
    public ImageBackbone? Backbone = null;

    /// <summary>Image input: side of the square image the backbone sees, in pixels (default 64).</summary>
    public int ImageSize = 64;

    /// <summary>
    /// Augmentation applied on the fly to each training batch (the batched tensor augmenter), fresh for every example of
    /// every epoch, so the K examples of an identity are K different views; default none. Never applied at scoring time.
    /// Gray images are augmented as gray (noise and light act on the one channel). With augmentation an identity may have
    /// a single row. A float vector input without a <see cref="Backbone"/> must then be raw pixels with an image shape
    /// (see the remarks).
    /// </summary>
    public AugmentationPolicy Augmentation = AugmentationPolicy.None;

    /// <summary>Image input: widths of the projection head's hidden layers after the backbone features (then a linear layer to
    /// <see cref="EmbeddingDimension"/>); default none (a linear projection).</summary>
    public int[] ProjectionHiddenLayers = Array.Empty<int>();

    /// <summary>Image input: learning-rate multiplier of the backbone's parameters (the head uses the learning rate);
    /// 0 freezes the backbone (weights and batch-norm statistics). Default 0.1.</summary>
    public float BackboneLearningRateMultiplier = 0.1f;

    /// <summary>Raw pixel vector input: channels (1 or 3); null: inferred from the vector size (square images).</summary>
    public int? InputChannels = null;

    /// <summary>Raw pixel vector input: image height; null: inferred (square images).</summary>
    public int? InputHeight = null;

    /// <summary>Raw pixel vector input: image width; null: inferred (square images).</summary>
    public int? InputWidth = null;

    /// <summary>Triplet margin.</summary>
    public float Margin = 0.2f;

    /// <summary>Distance inside the loss (and of the collapse measures); default Euclidean.</summary>
    public EmbeddingDistance Distance = EmbeddingDistance.Euclidean;

    /// <summary>Online mining strategy. Default <see cref="TripletMining.All"/> ("batch all"): with
    /// <see cref="TripletReduction.NonZero"/> it trains from scratch where <see cref="TripletMining.BatchHard"/> can stall
    /// in a partial collapse (loss at the margin, every triplet active; measured in samples/EmbeddingFaces).</summary>
    public TripletMining Mining = TripletMining.All;

    /// <summary>How per-triplet losses are averaged; default over the active (non-zero) triplets, so the loss does not
    /// fade as more triplets are satisfied.</summary>
    public TripletReduction Reduction = TripletReduction.NonZero;

    /// <summary>P: identities per batch. Null (default): <see cref="NeuralTrainerOptions.BatchSize"/> / <see cref="ExamplesPerClass"/>.
    /// When set, a batch holds <c>ClassesPerBatch x ExamplesPerClass</c> rows whatever the batch size.</summary>
    public int? ClassesPerBatch = null;

    /// <summary>K: examples (rows, or views with <see cref="Augmentation"/>) per identity in a batch. Default 4.</summary>
    public int ExamplesPerClass = 4;

    /// <summary>P, the identities per batch in effect.</summary>
    internal int EffectiveClassesPerBatch => ClassesPerBatch ?? BatchSize / Math.Max(1, ExamplesPerClass);

    /// <summary>A shallow copy (the training loop gets the batch size and early-stopping metric in effect).</summary>
    internal TripletEmbeddingOptions Copy() => (TripletEmbeddingOptions)MemberwiseClone();
}
