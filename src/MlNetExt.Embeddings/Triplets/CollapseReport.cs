namespace MlNetExt.Embeddings.Triplets;

/// <summary>Signs of embedding collapse in a batch (every input mapped to nearly the same point).</summary>
/// <param name="ActiveTripletFraction">Fraction of valid triplets with a non-zero loss.</param>
/// <param name="MeanPairwiseDistance">Mean distance between distinct rows.</param>
/// <param name="MeanLoss">Mean triplet loss over all valid triplets.</param>
/// <param name="IsCollapsed">True when the mean pairwise distance is ~0 relative to the margin, or the loss sits at the margin.</param>
public sealed record CollapseReport(double ActiveTripletFraction, double MeanPairwiseDistance, double MeanLoss, bool IsCollapsed);
