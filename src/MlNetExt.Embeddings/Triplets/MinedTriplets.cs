namespace MlNetExt.Embeddings.Triplets;

/// <summary>Row indices of mined triplets within a batch: (Anchors[i], Positives[i], Negatives[i]).</summary>
public sealed record MinedTriplets(long[] Anchors, long[] Positives, long[] Negatives)
{
    /// <summary>Number of triplets.</summary>
    public int Count => Anchors.Length;

    /// <summary>The triplets as tuples (for tests and inspection).</summary>
    public IEnumerable<(long Anchor, long Positive, long Negative)> AsTuples() =>
        Enumerable.Range(0, Count).Select(i => (Anchors[i], Positives[i], Negatives[i]));
}
