using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Tests.Triplets;

public class TripletLossTests
{
    // One-dimensional batch: class 0 at 0 and 1, class 1 at 1.5 and 5.
    private static Tensor Batch() => tensor(new float[] { 0f, 1f, 1.5f, 5f }).reshape(4, 1);
    private static Tensor Labels() => tensor(new long[] { 0, 0, 1, 1 });

    private static HashSet<(long, long, long)> Mine(TripletMining mining)
    {
        using var scope = NewDisposeScope();
        var d = TripletLoss.PairwiseDistances(Batch(), EmbeddingDistance.Euclidean);
        return TripletLoss.Mine(d, Labels(), mining, margin: 1f).AsTuples().ToHashSet();
    }

    [Fact]
    public void All_mining_returns_every_valid_triplet()
    {
        Assert.Equal(8, Mine(TripletMining.All).Count);
        Assert.DoesNotContain(Mine(TripletMining.All), t => t.Item1 == t.Item2);
    }

    [Fact]
    public void Hard_mining_picks_negatives_closer_than_the_positive()
    {
        Assert.Equal(new HashSet<(long, long, long)> { (1, 0, 2), (2, 3, 0), (2, 3, 1) }, Mine(TripletMining.Hard));
    }

    [Fact]
    public void Semi_hard_mining_picks_negatives_inside_the_margin_band()
    {
        Assert.Equal(new HashSet<(long, long, long)> { (0, 1, 2), (3, 2, 1) }, Mine(TripletMining.SemiHard));
    }

    [Fact]
    public void Batch_hard_mining_picks_farthest_positive_and_nearest_negative_per_anchor()
    {
        Assert.Equal(new HashSet<(long, long, long)> { (0, 1, 2), (1, 0, 2), (2, 3, 1), (3, 2, 1) }, Mine(TripletMining.BatchHard));
    }

    [Fact]
    public void FaceNet_semi_hard_mining_picks_one_negative_per_anchor_positive_pair_with_the_farthest_as_fallback()
    {
        // (0,1): negatives at 1.5 and 5 are both farther than 1, the hardest is row 2; (1,0): only row 3 (4) is farther than 1;
        // (2,3): no negative is farther than 3.5, so the farthest (row 0, 1.5); (3,2): rows 0 (5) and 1 (4), the hardest is 1.
        Assert.Equal(new HashSet<(long, long, long)> { (0, 1, 2), (1, 0, 3), (2, 3, 0), (3, 2, 1) }, Mine(TripletMining.FaceNetSemiHard));
    }

    [Theory]
    [InlineData(TripletMining.FaceNetSemiHard, TripletReduction.All, 4.0 / 4)]
    [InlineData(TripletMining.BatchHard, TripletReduction.All, 6.5 / 4)]
    [InlineData(TripletMining.All, TripletReduction.All, 9.5 / 8)]
    [InlineData(TripletMining.All, TripletReduction.NonZero, 9.5 / 5)]
    public void Batch_loss_matches_hand_computation(TripletMining mining, TripletReduction reduction, double expected)
    {
        using var scope = NewDisposeScope();
        var loss = TripletLoss.BatchLoss(Batch(), Labels(), 1f, EmbeddingDistance.Euclidean, mining, reduction);
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Theory]
    [InlineData(EmbeddingDistance.Euclidean, 1.41421356 - 1 + 0.2)]
    [InlineData(EmbeddingDistance.SquaredEuclidean, 2 - 1 + 0.2)]
    [InlineData(EmbeddingDistance.Cosine, 1 - (1 - 0.70710678) + 0.2)]
    public void Triplet_loss_matches_hand_computation_for_each_distance(EmbeddingDistance distance, double expected)
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 0 }).reshape(1, 2);
        var p = tensor(new float[] { 0, 1 }).reshape(1, 2);
        var n = tensor(new float[] { 1, 1 }).reshape(1, 2);
        Assert.Equal(expected, TripletLoss.Compute(a, p, n, 0.2f, distance).item<float>(), 4);
    }

    [Fact]
    public void Batch_loss_has_finite_gradients_at_coincident_points()
    {
        using var scope = NewDisposeScope();
        var x = zeros(4, 3, requires_grad: true);
        var loss = TripletLoss.BatchLoss(x, Labels(), 0.5f, EmbeddingDistance.Euclidean, TripletMining.BatchHard);
        loss.backward();
        Assert.True(x.grad is not null && x.grad.isfinite().all().item<bool>());
    }

    [Fact]
    public void Collapse_detection_fires_on_a_collapsed_embedding_and_not_on_a_spread_one()
    {
        using var scope = NewDisposeScope();
        var labels = tensor(new long[] { 0, 0, 1, 1, 2, 2 });
        var collapsed = ones(6, 8).mul(0.3f);
        var report = CollapseDetector.Assess(collapsed, labels, 0.5f, EmbeddingDistance.Euclidean);
        Assert.True(report.IsCollapsed);
        Assert.Equal(1.0, report.ActiveTripletFraction, 6);
        Assert.Equal(0.5, report.MeanLoss, 3);

        manual_seed(1);
        var spread = randn(6, 8);
        var healthy = CollapseDetector.Assess(spread, labels, 0.5f, EmbeddingDistance.Euclidean);
        Assert.False(healthy.IsCollapsed);
        Assert.True(healthy.MeanPairwiseDistance > 1);
    }

    [Fact]
    public void Collapse_detection_fires_on_embeddings_squeezed_below_the_margin()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var labels = tensor(Enumerable.Range(0, 32).Select(i => (long)(i / 4)).ToArray());
        // Unit vectors scattered in a small cap: pairwise distances ~0.1 against a margin of 0.2, labels ignored.
        var squeezed = nn.functional.normalize(ones(32, 16).add(randn(32, 16).mul(0.03f)), p: 2, dim: 1);
        var report = CollapseDetector.Assess(squeezed, labels, 0.2f, EmbeddingDistance.Euclidean);
        Assert.InRange(report.MeanPairwiseDistance, 0.02, 0.2);
        Assert.True(report.ActiveTripletFraction >= 0.95);
        Assert.True(report.IsCollapsed);

        // The same spread, but classes far apart relative to the margin: most triplets are satisfied.
        var centres = nn.functional.normalize(randn(8, 16), p: 2, dim: 1).repeat_interleave(4, dim: 0);
        var clustered = nn.functional.normalize(centres.add(randn(32, 16).mul(0.01f)), p: 2, dim: 1);
        var healthy = CollapseDetector.Assess(clustered, labels, 0.2f, EmbeddingDistance.Euclidean);
        Assert.False(healthy.IsCollapsed);
    }

    [Fact]
    public void Class_balanced_sampler_draws_p_classes_with_k_examples_each()
    {
        var classes = Enumerable.Range(0, 60).Select(i => i % 6).ToArray();
        var sampler = new ClassBalancedBatchSampler(classes, classesPerBatch: 3, examplesPerClass: 4);
        var batches = sampler.Epoch(seed: 9).ToList();

        Assert.Equal(5, batches.Count);
        foreach (var batch in batches)
        {
            var groups = batch.GroupBy(r => classes[r]).ToArray();
            Assert.Equal(3, groups.Length);
            Assert.All(groups, g => Assert.Equal(4, g.Count()));
            Assert.All(groups, g => Assert.Equal(4, g.Distinct().Count()));
        }
        Assert.Equal(batches.SelectMany(b => b), sampler.Epoch(seed: 9).SelectMany(b => b));
    }

    [Fact]
    public void Class_balanced_sampler_epoch_is_a_permutation_of_the_identities()
    {
        // 100 identities of one row each (allowed with augmentation): P = 10, K = 3 -> 10 batches, each identity exactly once,
        // its K examples the same row (the augmenter makes them different views).
        var classes = Enumerable.Range(0, 100).ToArray();
        var sampler = new ClassBalancedBatchSampler(classes, classesPerBatch: 10, examplesPerClass: 3, allowSingleExampleClasses: true);
        var batches = sampler.Epoch(seed: 4).ToList();

        Assert.Equal(10, sampler.BatchCount);
        Assert.Equal(10, batches.Count);
        var seen = batches.SelectMany(b => b.Chunk(3).Select(k => Assert.Single(k.Distinct()))).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), seen.Order());
        Assert.NotEqual(seen, sampler.Epoch(seed: 5).SelectMany(b => b.Chunk(3).Select(k => k[0])));
    }

    [Fact]
    public void Class_balanced_sampler_with_more_batches_than_one_permutation_keeps_classes_distinct_within_a_batch()
    {
        // 7 classes of 20 rows, P = 3, K = 2: 140 / 6 = 23 batches, many permutations; no batch repeats a class.
        var classes = Enumerable.Range(0, 140).Select(i => i % 7).ToArray();
        var sampler = new ClassBalancedBatchSampler(classes, classesPerBatch: 3, examplesPerClass: 2);
        var batches = sampler.Epoch(seed: 1).ToList();

        Assert.Equal(23, batches.Count);
        Assert.All(batches, b => Assert.Equal(3, b.Select(r => classes[r]).Distinct().Count()));
        var perClass = batches.SelectMany(b => b).GroupBy(r => classes[r]).Select(g => g.Count()).ToArray();
        Assert.True(perClass.Max() - perClass.Min() <= 2 * 2, $"classes drawn {string.Join(", ", perClass)} times");
    }

    [Fact]
    public void Class_balanced_sampler_rejects_a_class_with_a_single_example()
    {
        var e = Assert.Throws<ArgumentException>(() => new ClassBalancedBatchSampler(new[] { 0, 0, 1, 2, 2 }, 2, 2, "Identity"));
        Assert.Contains("'Identity'", e.Message);
        Assert.Contains("row 2", e.Message);
    }
}
