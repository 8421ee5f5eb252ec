namespace MlNetExt.Embeddings.Evaluation;

/// <summary>How two embeddings are compared: MlNetExt's one distance vocabulary, used by the triplet loss
/// (<see cref="Triplets.TripletEmbeddingOptions.Distance"/>) and by the embedding evaluator
/// (<see cref="EmbeddingEvaluationOptions.Distance"/>).</summary>
public enum EmbeddingDistance
{
    /// <summary>Euclidean (L2) distance ||a - b||.</summary>
    Euclidean = 0,

    /// <summary>Cosine distance, 1 - cos(a, b).</summary>
    Cosine = 1,

    /// <summary>Squared Euclidean distance ||a - b||². It ranks neighbours like <see cref="Euclidean"/>; the evaluator's
    /// verification distances and equal-error threshold are then squared too.</summary>
    SquaredEuclidean = 2,
}
