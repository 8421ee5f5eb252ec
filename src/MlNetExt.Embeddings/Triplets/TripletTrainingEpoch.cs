namespace MlNetExt.Embeddings.Triplets;

/// <summary>What one epoch of triplet training reported.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Mean triplet loss over the epoch's batches.</param>
/// <param name="Collapse">Collapse report of the epoch's last batch.</param>
public sealed record TripletTrainingEpoch(int Epoch, double Loss, CollapseReport Collapse);
