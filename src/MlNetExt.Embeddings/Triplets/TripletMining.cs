namespace MlNetExt.Embeddings.Triplets;

/// <summary>Which triplets (anchor, positive, negative) of a batch the loss is computed on.</summary>
public enum TripletMining
{
    /// <summary>Every valid triplet: positive shares the anchor's label (and is another row), negative does not.</summary>
    All,

    /// <summary>Triplets whose negative is closer to the anchor than the positive: d(a,n) &lt; d(a,p).</summary>
    Hard,

    /// <summary>FaceNet's semi-hard triplets: d(a,p) &lt; d(a,n) &lt; d(a,p) + margin.</summary>
    SemiHard,

    /// <summary>Batch-hard (Hermans et al. 2017): per anchor, its farthest positive and its nearest negative.</summary>
    BatchHard,
}
