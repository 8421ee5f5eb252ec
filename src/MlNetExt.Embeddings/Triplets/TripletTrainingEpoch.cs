namespace MlNetExt.Embeddings.Triplets;

/// <summary>What one epoch of triplet training reported.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Mean triplet loss over the epoch's batches.</param>
/// <param name="Collapse">Collapse report of the epoch's last batch.</param>
/// <param name="ValidationRecallAt1">Recall@1 on <see cref="TripletEmbeddingOptions.ValidationSet"/> after the epoch (null without one).</param>
/// <param name="ValidationMapAtR">MAP@R on <see cref="TripletEmbeddingOptions.ValidationSet"/> after the epoch (null without one).</param>
public sealed record TripletTrainingEpoch(int Epoch, double Loss, CollapseReport Collapse, double? ValidationRecallAt1 = null,
    double? ValidationMapAtR = null);
