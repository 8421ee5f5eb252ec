using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Cca;
using MlNetExt.ImageAugmentation;
using MlNetExt.Vision.Classification;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>Options of the triplet-loss featurizer (<see cref="TripletEmbeddingCatalog.TripletEmbedding(Microsoft.ML.TransformsCatalog, TripletEmbeddingOptions)"/>).</summary>
/// <remarks>
/// <para>The encoder depends on the input column and <see cref="Backbone"/>:</para>
/// <list type="bullet">
/// <item>an <c>MLImage</c> column (LoadImages): an image encoder, <see cref="Backbone"/> (null: <see cref="ImageBackbone.Default"/>)
/// on images resized to <see cref="ImageSize"/>, then the projection head (<see cref="ProjectionHiddenLayers"/>, then a linear
/// layer to <see cref="EmbeddingDimension"/>);</item>
/// <item>a float vector with <see cref="Backbone"/> set: the same image encoder over raw pixels in [0, 255], planar
/// <c>C x H x W</c> (C = 1 or 3; square images are recognised from the size, others need <see cref="InputChannels"/>,
/// <see cref="InputHeight"/>, <see cref="InputWidth"/>); gray is replicated to RGB and other sizes are resized bilinearly
/// to <see cref="ImageSize"/> inside the model;</item>
/// <item>a float vector with <see cref="Backbone"/> null: an MLP (<see cref="HiddenLayers"/>, <see cref="Activation"/>).</item>
/// </list>
/// <para>The output is always L2-normalised (inside the exported ONNX graph).</para>
/// </remarks>
public sealed class TripletEmbeddingOptions
{
    /// <summary>Input: an MLImage column, or a known-size float vector column (features for the MLP, raw pixels for a backbone).</summary>
    public string InputColumnName = "Features";

    /// <summary>Output: the L2-normalised embedding column.</summary>
    public string OutputColumnName = "Embedding";

    /// <summary>Identity label column (key, text or number); every class needs at least 2 rows.</summary>
    public string LabelColumnName = "Label";

    /// <summary>Embedding dimension.</summary>
    public int EmbeddingDimension = 128;

    /// <summary>Hidden layer widths of the MLP (float vector input without a <see cref="Backbone"/>).</summary>
    public int[] HiddenLayers = { 256 };

    /// <summary>Hidden activation of the MLP and of the projection head.</summary>
    public EncoderActivation Activation = EncoderActivation.ReLU;

    /// <summary>
    /// Image encoder's backbone (architecture and weights: pretrained, from a file or from scratch). Null: an MLP on a
    /// float vector input, or <see cref="ImageBackbone.Default"/> for an MLImage input.
    /// </summary>
    public ImageBackbone? Backbone = null;

    /// <summary>Image input: side of the square image the backbone sees, in pixels (default 64).</summary>
    public int ImageSize = 64;

    /// <summary>
    /// Image input: augmentation applied on the fly to each training batch (the batched tensor augmenter), fresh every
    /// epoch; default none. Never applied at scoring time.
    /// </summary>
    public AugmentationPolicy Augmentation = AugmentationPolicy.None;

    /// <summary>Image input: widths of the projection head's hidden layers after the backbone features (then a linear layer to
    /// <see cref="EmbeddingDimension"/>); default none (a linear projection).</summary>
    public int[] ProjectionHiddenLayers = Array.Empty<int>();

    /// <summary>Image input: learning-rate multiplier of the backbone's parameters (the head uses <see cref="LearningRate"/>);
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

    /// <summary>Distance inside the loss.</summary>
    public TripletDistance Distance = TripletDistance.Euclidean;

    /// <summary>Online mining strategy. Default <see cref="TripletMining.All"/> ("batch all"): with
    /// <see cref="TripletReduction.NonZero"/> it trains from scratch where <see cref="TripletMining.BatchHard"/> can stall
    /// in a partial collapse (loss at the margin, every triplet active; measured in samples/EmbeddingFaces).</summary>
    public TripletMining Mining = TripletMining.All;

    /// <summary>How per-triplet losses are averaged; default over the active (non-zero) triplets, so the loss does not
    /// fade as more triplets are satisfied.</summary>
    public TripletReduction Reduction = TripletReduction.NonZero;

    /// <summary>P: classes per batch.</summary>
    public int ClassesPerBatch = 8;

    /// <summary>K: examples per class in a batch.</summary>
    public int ExamplesPerClass = 4;

    /// <summary>Passes over the data. 0 trains nothing and exports the initial network (random or pretrained weights): the
    /// untrained baseline to compare a trained embedding with.</summary>
    public int Epochs = 30;

    /// <summary>Adam learning rate.</summary>
    public float LearningRate = 1e-3f;

    /// <summary>
    /// Held-out rows with the same input and label columns (other images or identities; every class at least two rows).
    /// After every epoch the embedding's recall@1 and MAP@R on them (leave-one-out retrieval, Euclidean) go to
    /// <see cref="TripletEmbeddingModel.History"/> and the log. Null: none.
    /// </summary>
    public IDataView? ValidationSet = null;

    /// <summary>With <see cref="ValidationSet"/>: stop when the validation MAP@R has not risen by more than
    /// <see cref="EarlyStoppingOptions.MinDelta"/> for <see cref="EarlyStoppingOptions.Patience"/> epochs, and keep the
    /// weights of the best epoch. Null: train every epoch and keep the last weights.</summary>
    public EarlyStoppingOptions? EarlyStopping = null;

    /// <summary>Seed (null: 0). Training is reproducible on CPU for a fixed seed.</summary>
    public int? Seed = null;

    /// <summary>
    /// Receives (epoch, mean loss, collapse report of the last batch) after each epoch. When the report says the
    /// embeddings collapsed, training also writes a warning to the MLContext's log (see
    /// <see cref="TripletEmbeddingEstimator.CollapseWarnings"/>).
    /// </summary>
    public Action<int, double, CollapseReport>? Progress = null;
}
