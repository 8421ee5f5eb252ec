namespace MlNetExt.Embeddings.Evaluation;

/// <summary>Options of <see cref="EmbeddingEvaluationCatalog.EvaluateEmbeddings(Microsoft.ML.MLContext, Microsoft.ML.IDataView, string, string, EmbeddingEvaluationOptions?)"/>.</summary>
public sealed class EmbeddingEvaluationOptions
{
    /// <summary>Distance used for neighbours, pairs and clustering.</summary>
    public EmbeddingDistance Distance = EmbeddingDistance.Euclidean;

    /// <summary>Seed of the negative-pair sample and of k-means++ (also of the positive-pair sample when there are too many).</summary>
    public int Seed = 0;

    /// <summary>Number of negative (different-label) pairs sampled for the verification ROC AUC and equal error rate.</summary>
    public int NegativePairCount = 200_000;

    /// <summary>All positive (same-label) pairs are used up to this many; above it a seeded uniform sample of this size is used.</summary>
    public int MaxPositivePairCount = 2_000_000;

    /// <summary>Queries per block in the nearest-neighbour pass (a block's distance matrix is BlockSize x rows).</summary>
    public int BlockSize = 512;

    /// <summary>Maximum Lloyd iterations of k-means.</summary>
    public int KMeansMaxIterations = 100;

    /// <summary>Whether to compute the k-means NMI (the slowest metric on large sets).</summary>
    public bool ComputeClusteringNmi = true;
}
