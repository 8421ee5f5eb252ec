using MlNetExt.Embeddings.Evaluation;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>Distance d used by the triplet loss; superseded by <see cref="EmbeddingDistance"/> (MlNetExt's one distance
/// enum). The numbers differ from <see cref="EmbeddingDistance"/>'s: convert by name, not by casting.</summary>
[Obsolete("Use EmbeddingDistance (MlNetExt.Embeddings.Evaluation): the one distance enum of the triplet loss and the evaluator.")]
public enum TripletDistance
{
    /// <summary>Euclidean distance ||a - b|| (<see cref="EmbeddingDistance.Euclidean"/>).</summary>
    Euclidean,

    /// <summary>Squared Euclidean distance ||a - b||² (<see cref="EmbeddingDistance.SquaredEuclidean"/>).</summary>
    SquaredEuclidean,

    /// <summary>Cosine distance 1 - cos(a, b) (<see cref="EmbeddingDistance.Cosine"/>).</summary>
    Cosine,
}

/// <summary>Converts the obsolete <see cref="TripletDistance"/> to <see cref="EmbeddingDistance"/>.</summary>
[Obsolete("Only for the obsolete TripletDistance overloads.")]
internal static class TripletDistances
{
    /// <summary>The <see cref="EmbeddingDistance"/> of the same name.</summary>
    public static EmbeddingDistance ToEmbeddingDistance(this TripletDistance distance) => distance switch
    {
        TripletDistance.Euclidean => EmbeddingDistance.Euclidean,
        TripletDistance.SquaredEuclidean => EmbeddingDistance.SquaredEuclidean,
        TripletDistance.Cosine => EmbeddingDistance.Cosine,
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, "Unknown triplet distance."),
    };
}
