using MlNetExt.Core.Torch;
using MlNetExt.Embeddings.Evaluation;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>Detects embedding collapse from a batch of embeddings and labels.</summary>
public static class CollapseDetector
{
    /// <summary>
    /// Collapse is flagged when the mean pairwise distance is below <paramref name="distanceTolerance"/> x margin, or
    /// when the mean loss over all valid triplets is within that tolerance of the margin with every triplet active
    /// (d(a,p) ≈ d(a,n) everywhere), or when the embeddings are squeezed: their mean pairwise distance is below the
    /// margin while at least <paramref name="squeezedActiveFraction"/> of all triplets are active (the partial collapse
    /// batch-hard mining can stall in, the loss sitting at about the margin).
    /// </summary>
    /// <param name="embeddings">Embeddings of one batch, one row each.</param>
    /// <param name="labels">Class index of every row.</param>
    /// <param name="margin">The triplet margin.</param>
    /// <param name="distance">The loss's distance.</param>
    /// <param name="distanceTolerance">Relative tolerance of the total-collapse tests.</param>
    /// <param name="squeezedActiveFraction">Active-triplet fraction from which a spread below the margin counts as collapse.</param>
    public static CollapseReport Assess(Tensor embeddings, Tensor labels, float margin, EmbeddingDistance distance, double distanceTolerance = 1e-3,
        double squeezedActiveFraction = 0.95)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var distances = PairwiseDistances(embeddings, distance);
        int n = (int)distances.shape[0];
        double meanDistance = n < 2 ? 0 : distances.sum().item<float>() / ((double)n * (n - 1));
        var triplets = TripletLoss.Mine(distances, labels, TripletMining.All, margin);
        double active = 0, meanLoss = 0;
        if (triplets.Count > 0)
        {
            var dap = distances.index(tensor(triplets.Anchors), tensor(triplets.Positives));
            var dan = distances.index(tensor(triplets.Anchors), tensor(triplets.Negatives));
            var losses = dap.sub(dan).Plus(margin).relu();
            active = losses.GreaterThan(0).to(ScalarType.Float32).mean().item<float>();
            meanLoss = losses.mean().item<float>();
        }
        return new CollapseReport(active, meanDistance, meanLoss,
            triplets.Count > 0 ? IsCollapsed(active, meanDistance, meanLoss, margin, distanceTolerance, squeezedActiveFraction)
                : meanDistance < distanceTolerance * margin);
    }

    /// <summary>Assesses a batch; the obsolete <see cref="TripletDistance"/> overload.</summary>
    [Obsolete("Use the EmbeddingDistance overload.")]
    public static CollapseReport Assess(Tensor embeddings, Tensor labels, float margin, TripletDistance distance, double distanceTolerance = 1e-3,
        double squeezedActiveFraction = 0.95) =>
        Assess(embeddings, labels, margin, distance.ToEmbeddingDistance(), distanceTolerance, squeezedActiveFraction);

    /// <summary>The rule of <see cref="Assess(Tensor, Tensor, float, EmbeddingDistance, double, double)"/> applied to given statistics (for example an epoch's means over its batches).</summary>
    /// <param name="activeTripletFraction">Fraction of valid triplets with a non-zero loss.</param>
    /// <param name="meanPairwiseDistance">Mean distance between distinct rows.</param>
    /// <param name="meanLoss">Mean triplet loss over all valid triplets.</param>
    /// <param name="margin">The triplet margin.</param>
    /// <param name="distanceTolerance">Relative tolerance of the total-collapse tests.</param>
    /// <param name="squeezedActiveFraction">Active-triplet fraction from which a spread below the margin counts as collapse.</param>
    public static bool IsCollapsed(double activeTripletFraction, double meanPairwiseDistance, double meanLoss, float margin,
        double distanceTolerance = 1e-3, double squeezedActiveFraction = 0.95) =>
        meanPairwiseDistance < distanceTolerance * margin
        || (activeTripletFraction >= 1.0 && Math.Abs(meanLoss - margin) < distanceTolerance * Math.Max(margin, 1e-6) * 10)
        || (margin > 0 && meanPairwiseDistance < margin && activeTripletFraction >= squeezedActiveFraction);

    private static Tensor PairwiseDistances(Tensor embeddings, EmbeddingDistance distance)
    {
        // The diagonal is 0 for every distance; the Euclidean floor of the loss (1e-6) would bias the mean, so zero it.
        var d = TripletLoss.PairwiseDistances(embeddings, distance);
        return d.mul(ones_like(d).sub(eye(d.shape[0], dtype: d.dtype, device: d.device)));
    }
}
