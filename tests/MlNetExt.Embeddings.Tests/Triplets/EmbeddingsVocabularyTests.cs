using Microsoft.ML;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Tests.Triplets;

/// <summary>One vocabulary: <c>EmbeddingDistance</c> for the loss and the evaluator, <c>AreaUnderRocCurve</c>,
/// <c>ActivationKind</c>; the old names still work for one release, forwarding to the new ones.</summary>
public sealed class EmbeddingsVocabularyTests
{
    private static Tensor Batch() => tensor(new float[] { 0, 0, 0.1f, 0, 1, 1, 1.2f, 1, 0, 2, 0.3f, 2 }, [6, 2]);

    private static Tensor Labels() => tensor(new long[] { 0, 0, 1, 1, 2, 2 });

#pragma warning disable CS0618 // the obsolete members are what is tested
    [Theory]
    [InlineData(TripletDistance.Euclidean, EmbeddingDistance.Euclidean)]
    [InlineData(TripletDistance.SquaredEuclidean, EmbeddingDistance.SquaredEuclidean)]
    [InlineData(TripletDistance.Cosine, EmbeddingDistance.Cosine)]
    public void Old_triplet_distances_give_the_losses_of_the_embedding_distance_of_the_same_name(TripletDistance old, EmbeddingDistance distance)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(TripletLoss.BatchLoss(Batch(), Labels(), 0.5f, distance, TripletMining.All).item<float>(),
            TripletLoss.BatchLoss(Batch(), Labels(), 0.5f, old, TripletMining.All).item<float>());
        Assert.Equal(TripletLoss.PairwiseDistances(Batch(), distance).data<float>().ToArray(),
            TripletLoss.PairwiseDistances(Batch(), old).data<float>().ToArray());
        Assert.Equal(CollapseDetector.Assess(Batch(), Labels(), 0.5f, distance), CollapseDetector.Assess(Batch(), Labels(), 0.5f, old));
    }

    [Fact]
    public void Verification_auc_is_the_area_under_the_roc_curve()
    {
        var metrics = new EmbeddingMetrics { VerificationAuc = 0.75 };

        Assert.Equal(0.75, metrics.AreaUnderRocCurve);
        Assert.Equal(metrics.AreaUnderRocCurve, metrics.VerificationAuc);
    }
#pragma warning restore CS0618

    [Fact]
    public void Squared_euclidean_evaluation_ranks_like_euclidean_with_a_squared_threshold()
    {
        var ml = new MLContext(1);
        var (x, y) = TripletTestData.Identities(64, seed: 3);
        var data = EmbeddingData.Labelled(ml, x, y);

        var euclidean = ml.DeepLearning().Embeddings.Evaluate(data, "Embedding", "Label");
        var squared = ml.DeepLearning().Embeddings.Evaluate(data, "Embedding", "Label",
            new EmbeddingEvaluationOptions { Distance = EmbeddingDistance.SquaredEuclidean });

        Assert.Equal(euclidean.RecallAt1, squared.RecallAt1);
        Assert.Equal(euclidean.MeanAveragePrecisionAtR, squared.MeanAveragePrecisionAtR);
        Assert.Equal(euclidean.AreaUnderRocCurve, squared.AreaUnderRocCurve);
        Assert.Equal(euclidean.EqualErrorRate, squared.EqualErrorRate);
        Assert.Equal(euclidean.EqualErrorRateThreshold * euclidean.EqualErrorRateThreshold, squared.EqualErrorRateThreshold, 9);
    }
}
