namespace MlNetExt.Embeddings.Triplets;

/// <summary>What one epoch of triplet training reported.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Mean triplet loss over the epoch's batches.</param>
/// <param name="Collapse">Collapse report of the epoch: means over its training batches.</param>
/// <param name="ValidationRecallAt1">Recall@1 on the validation data after the epoch (null without one).</param>
/// <param name="ValidationMapAtR">MAP@R on the validation data after the epoch (null without one).</param>
public sealed record TripletTrainingEpoch(int Epoch, double Loss, CollapseReport Collapse, double? ValidationRecallAt1 = null,
    double? ValidationMapAtR = null);
