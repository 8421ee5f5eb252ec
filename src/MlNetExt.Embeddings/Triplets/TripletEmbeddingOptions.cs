using MlNetExt.Embeddings.Cca;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>Options of the triplet-loss featurizer (<see cref="TripletEmbeddingCatalog.TripletEmbedding(Microsoft.ML.TransformsCatalog, TripletEmbeddingOptions)"/>).</summary>
public sealed class TripletEmbeddingOptions
{
    /// <summary>Input: a known-size float vector column.</summary>
    public string InputColumnName = "Features";

    /// <summary>Output: the L2-normalised embedding column.</summary>
    public string OutputColumnName = "Embedding";

    /// <summary>Identity label column (key, text or number); every class needs at least 2 rows.</summary>
    public string LabelColumnName = "Label";

    /// <summary>Embedding dimension.</summary>
    public int EmbeddingDimension = 128;

    /// <summary>Hidden layer widths of the MLP.</summary>
    public int[] HiddenLayers = { 256 };

    /// <summary>Hidden activation of the MLP.</summary>
    public EncoderActivation Activation = EncoderActivation.ReLU;

    /// <summary>Triplet margin.</summary>
    public float Margin = 0.2f;

    /// <summary>Distance inside the loss.</summary>
    public TripletDistance Distance = TripletDistance.Euclidean;

    /// <summary>Online mining strategy.</summary>
    public TripletMining Mining = TripletMining.BatchHard;

    /// <summary>How per-triplet losses are averaged.</summary>
    public TripletReduction Reduction = TripletReduction.All;

    /// <summary>P: classes per batch.</summary>
    public int ClassesPerBatch = 8;

    /// <summary>K: examples per class in a batch.</summary>
    public int ExamplesPerClass = 4;

    /// <summary>Passes over the data.</summary>
    public int Epochs = 30;

    /// <summary>Adam learning rate.</summary>
    public float LearningRate = 1e-3f;

    /// <summary>Seed (null: 0). Training is reproducible on CPU for a fixed seed.</summary>
    public int? Seed = null;

    /// <summary>Receives (epoch, mean loss, collapse report of the last batch) after each epoch.</summary>
    public Action<int, double, CollapseReport>? Progress = null;
}
