namespace MlNetExt.Embeddings.Evaluation;

/// <summary>How two embeddings are compared.</summary>
public enum EmbeddingDistance
{
    /// <summary>Euclidean (L2) distance.</summary>
    Euclidean,

    /// <summary>Cosine distance, 1 - cos(a, b).</summary>
    Cosine,
}
