namespace MlNetExt.Embeddings.Triplets;

/// <summary>How per-triplet losses are averaged.</summary>
public enum TripletReduction
{
    /// <summary>Mean over all mined triplets.</summary>
    All,

    /// <summary>Mean over the triplets with a non-zero loss (the "active" ones).</summary>
    NonZero,
}
