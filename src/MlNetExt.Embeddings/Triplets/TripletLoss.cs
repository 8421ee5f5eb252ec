using MlNetExt.Core.Torch;
using MlNetExt.Embeddings.Evaluation;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// Triplet loss max(d(a,p) - d(a,n) + margin, 0) with online mining inside a batch. All functions take float
/// tensors [batch, dim] and keep gradients; call them inside a dispose scope.
/// </summary>
public static class TripletLoss
{
    /// <summary>Pairwise distance matrix [n, n] of the rows of <paramref name="embeddings"/>.</summary>
    /// <param name="embeddings">Float tensor [n, dim].</param>
    /// <param name="distance">The distance.</param>
    /// <returns>Distances; the Euclidean one is floored at 1e-12 under the square root so gradients stay finite.</returns>
    public static Tensor PairwiseDistances(Tensor embeddings, EmbeddingDistance distance)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (distance == EmbeddingDistance.Cosine)
        {
            var unit = nn.functional.normalize(embeddings, p: 2, dim: 1);
            return unit.mm(unit.t()).neg().Plus(1.0);
        }
        var squaredNorms = embeddings.Squared().sum(1);
        var squared = squaredNorms.unsqueeze(1).Plus(squaredNorms.unsqueeze(0)).sub(embeddings.mm(embeddings.t()).Times(2)).AtLeast(0);
        return distance == EmbeddingDistance.SquaredEuclidean ? squared : squared.AtLeast(1e-12).sqrt();
    }

    /// <summary>Distance between paired rows of <paramref name="a"/> and <paramref name="b"/> ([n] from two [n, dim]).</summary>
    public static Tensor PairedDistances(Tensor a, Tensor b, EmbeddingDistance distance)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return distance switch
        {
            EmbeddingDistance.Cosine => nn.functional.cosine_similarity(a, b, dim: 1).neg().Plus(1.0),
            EmbeddingDistance.SquaredEuclidean => a.sub(b).Squared().sum(1),
            _ => a.sub(b).Squared().sum(1).AtLeast(1e-12).sqrt(),
        };
    }

    /// <summary>Loss of explicit triplets given as three aligned tensors [n, dim].</summary>
    /// <returns>Scalar loss (zero when there is no triplet or, for <see cref="TripletReduction.NonZero"/>, no active one).</returns>
    public static Tensor Compute(Tensor anchors, Tensor positives, Tensor negatives, float margin, EmbeddingDistance distance,
        TripletReduction reduction = TripletReduction.All)
    {
        var losses = PairedDistances(anchors, positives, distance).sub(PairedDistances(anchors, negatives, distance)).Plus(margin).relu();
        return Reduce(losses, reduction);
    }

    /// <summary>Mines triplets in a batch (by <paramref name="labels"/>, int64 [n]) and returns the reduced loss.</summary>
    public static Tensor BatchLoss(Tensor embeddings, Tensor labels, float margin, EmbeddingDistance distance,
        TripletMining mining, TripletReduction reduction = TripletReduction.All)
    {
        var distances = PairwiseDistances(embeddings, distance);
        var triplets = Mine(distances, labels, mining, margin);
        if (triplets.Count == 0)
            return embeddings.sum().Times(0);   // keeps the graph so a step is a no-op
        var anchors = tensor(triplets.Anchors, device: embeddings.device);
        var positives = tensor(triplets.Positives, device: embeddings.device);
        var negatives = tensor(triplets.Negatives, device: embeddings.device);
        var dap = distances.index(anchors, positives);
        var dan = distances.index(anchors, negatives);
        return Reduce(dap.sub(dan).Plus(margin).relu(), reduction);
    }

    /// <summary>Pairwise distance matrix; the obsolete <see cref="TripletDistance"/> overload.</summary>
    [Obsolete("Use the EmbeddingDistance overload.")]
    public static Tensor PairwiseDistances(Tensor embeddings, TripletDistance distance) => PairwiseDistances(embeddings, distance.ToEmbeddingDistance());

    /// <summary>Paired distances; the obsolete <see cref="TripletDistance"/> overload.</summary>
    [Obsolete("Use the EmbeddingDistance overload.")]
    public static Tensor PairedDistances(Tensor a, Tensor b, TripletDistance distance) => PairedDistances(a, b, distance.ToEmbeddingDistance());

    /// <summary>Loss of explicit triplets; the obsolete <see cref="TripletDistance"/> overload.</summary>
    [Obsolete("Use the EmbeddingDistance overload.")]
    public static Tensor Compute(Tensor anchors, Tensor positives, Tensor negatives, float margin, TripletDistance distance,
        TripletReduction reduction = TripletReduction.All) => Compute(anchors, positives, negatives, margin, distance.ToEmbeddingDistance(), reduction);

    /// <summary>Mined batch loss; the obsolete <see cref="TripletDistance"/> overload.</summary>
    [Obsolete("Use the EmbeddingDistance overload.")]
    public static Tensor BatchLoss(Tensor embeddings, Tensor labels, float margin, TripletDistance distance,
        TripletMining mining, TripletReduction reduction = TripletReduction.All) =>
        BatchLoss(embeddings, labels, margin, distance.ToEmbeddingDistance(), mining, reduction);

    /// <summary>Chooses triplets from a distance matrix [n, n] and labels [n] (read on the CPU; no gradient).</summary>
    public static MinedTriplets Mine(Tensor distances, Tensor labels, TripletMining mining, float margin)
    {
        ArgumentNullException.ThrowIfNull(distances);
        ArgumentNullException.ThrowIfNull(labels);
        int n = (int)distances.shape[0];
        if (labels.shape[0] != n)
            throw new ArgumentException($"Labels have {labels.shape[0]} rows but the distance matrix has {n}.", nameof(labels));
        double[] d = distances.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        long[] y = labels.to(ScalarType.Int64).cpu().contiguous().data<long>().ToArray();
        var anchors = new List<long>();
        var positives = new List<long>();
        var negatives = new List<long>();
        for (int a = 0; a < n; a++)
        {
            if (mining == TripletMining.BatchHard)
            {
                int hardestPositive = -1, hardestNegative = -1;
                for (int j = 0; j < n; j++)
                {
                    if (j == a) continue;
                    if (y[j] == y[a])
                    {
                        if (hardestPositive < 0 || d[a * n + j] > d[a * n + hardestPositive]) hardestPositive = j;
                    }
                    else if (hardestNegative < 0 || d[a * n + j] < d[a * n + hardestNegative]) hardestNegative = j;
                }
                if (hardestPositive >= 0 && hardestNegative >= 0)
                {
                    anchors.Add(a); positives.Add(hardestPositive); negatives.Add(hardestNegative);
                }
                continue;
            }
            for (int p = 0; p < n; p++)
            {
                if (p == a || y[p] != y[a]) continue;
                double dap = d[a * n + p];
                if (mining == TripletMining.FaceNetSemiHard)
                {
                    int negative = FaceNetNegative(d, y, n, a, dap);
                    if (negative >= 0)
                    {
                        anchors.Add(a); positives.Add(p); negatives.Add(negative);
                    }
                    continue;
                }
                for (int q = 0; q < n; q++)
                {
                    if (y[q] == y[a]) continue;
                    double dan = d[a * n + q];
                    bool keep = mining switch
                    {
                        TripletMining.Hard => dan < dap,
                        TripletMining.SemiHard => dap < dan && dan < dap + margin,
                        _ => true,
                    };
                    if (keep)
                    {
                        anchors.Add(a); positives.Add(p); negatives.Add(q);
                    }
                }
            }
        }
        return new MinedTriplets(anchors.ToArray(), positives.ToArray(), negatives.ToArray());
    }

    /// <summary>The hardest negative of anchor <paramref name="a"/> farther than <paramref name="dap"/>, else its farthest
    /// negative; -1 when the batch has no negative.</summary>
    private static int FaceNetNegative(double[] d, long[] y, int n, int a, double dap)
    {
        int outside = -1, farthest = -1;
        for (int q = 0; q < n; q++)
        {
            if (y[q] == y[a]) continue;
            double dan = d[a * n + q];
            if (dan > dap && (outside < 0 || dan < d[a * n + outside])) outside = q;
            if (farthest < 0 || dan > d[a * n + farthest]) farthest = q;
        }
        return outside >= 0 ? outside : farthest;
    }

    private static Tensor Reduce(Tensor losses, TripletReduction reduction)
    {
        if (losses.shape[0] == 0)
            return losses.sum();
        if (reduction == TripletReduction.All)
            return losses.mean();
        var active = losses.GreaterThan(0).to(losses.dtype);
        return losses.sum().div(active.sum().AtLeast(1));
    }
}
