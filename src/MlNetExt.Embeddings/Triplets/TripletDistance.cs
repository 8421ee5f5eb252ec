namespace MlNetExt.Embeddings.Triplets;

/// <summary>Distance d used by the triplet loss.</summary>
public enum TripletDistance
{
    /// <summary>Euclidean distance ||a - b||.</summary>
    Euclidean,

    /// <summary>Squared Euclidean distance ||a - b||².</summary>
    SquaredEuclidean,

    /// <summary>Cosine distance 1 - cos(a, b).</summary>
    Cosine,
}
