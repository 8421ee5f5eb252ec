namespace MlNetExt.Embeddings.Triplets;

/// <summary>Which triplets (anchor, positive, negative) of a batch the loss is computed on.</summary>
public enum TripletMining
{
    /// <summary>Every valid triplet: positive shares the anchor's label (and is another row), negative does not.</summary>
    All,

    /// <summary>Triplets whose negative is closer to the anchor than the positive: d(a,n) &lt; d(a,p).</summary>
    Hard,

    /// <summary>Every semi-hard triplet: d(a,p) &lt; d(a,n) &lt; d(a,p) + margin (FaceNet's band; an anchor-positive pair with no
    /// negative in the band contributes nothing).</summary>
    SemiHard,

    /// <summary>Batch-hard (Hermans et al. 2017): per anchor, its farthest positive and its nearest negative.</summary>
    BatchHard,

    /// <summary>
    /// Semi-hard as FaceNet (Schroff et al. 2015) trains and TensorFlow's <c>triplet_semihard_loss</c> computes it: one
    /// triplet per anchor-positive pair, with the hardest negative that is still farther than the positive
    /// (the smallest d(a,n) &gt; d(a,p)), or, when every negative is closer, the farthest negative. Every pair gets a
    /// triplet, so with <see cref="TripletReduction.All"/> the loss is FaceNet's mean over anchor-positive pairs.
    /// </summary>
    FaceNetSemiHard,
}
