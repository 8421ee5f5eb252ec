using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Triplets;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Triplets;

public class TripletCollapseWarningTests
{
    /// <summary>8 classes shifted along 3 of 20 noisy features.</summary>
    private static IDataView Data(MLContext ml)
    {
        var random = new Random(3);
        int n = 160;
        var x = Enumerable.Range(0, n)
            .Select(i => Enumerable.Range(0, 20).Select(j => (float)(random.NextDouble() * 2 - 1 + (j < 3 ? (i % 8) * 0.3 : 0))).ToArray()).ToArray();
        var y = Enumerable.Range(0, n).Select(i => "c" + (i % 8)).ToArray();
        return EmbeddingData.Labelled(ml, x, y);
    }

    private static (TripletEmbeddingEstimator Estimator, TripletEmbeddingModel Model, string[] LogWarnings, List<CollapseReport> Reports,
        List<TrainingProgress> Progress) Train(
        TripletMining mining, float margin, float learningRate)
    {
        var ml = new MLContext(1);
        var warnings = new ConcurrentQueue<string>();
        ml.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Warning && e.Source.StartsWith("TripletEmbedding", StringComparison.Ordinal))
                warnings.Enqueue(e.Message);
        };
        var progress = new List<TrainingProgress>();
        var estimator = new TripletEmbeddingEstimator(ml, new TripletEmbeddingOptions
        {
            FeatureColumnName = "Embedding", OutputColumnName = "Learned", EmbeddingDimension = 8, HiddenLayers = new[] { 32 },
            Epochs = 6, LearningRate = learningRate, Margin = margin, Mining = mining, Seed = 1,
            Progress = progress.Add,
        });
        var model = estimator.Fit(Data(ml));
        return (estimator, model, warnings.ToArray(), model.TripletEpochs.Select(h => h.Collapse).ToList(), progress);
    }

    [Fact]
    public void Batch_hard_mining_with_a_large_margin_collapses_and_training_warns_in_the_log()
    {
        // Batch-hard with margin 1.5 on the unit sphere and a high learning rate pulls every embedding to one point.
        var (_, model, logWarnings, reports, progress) = Train(TripletMining.BatchHard, margin: 1.5f, learningRate: 0.05f);

        Assert.Equal(6, reports.Count);
        Assert.True(reports[^1].MeanPairwiseDistance < 0.1, $"mean pairwise distance {reports[^1].MeanPairwiseDistance}");
        Assert.Equal(1.0, reports[^1].ActiveTripletFraction, 3);
        Assert.True(reports[^1].IsCollapsed);
        Assert.NotEmpty(model.CollapseWarnings);
        Assert.Equal(reports.Count(r => r.IsCollapsed), model.CollapseWarnings.Count);
        Assert.Equal(model.CollapseWarnings.Count, logWarnings.Length);
        Assert.All(logWarnings, w => Assert.Contains("collapsed", w));
        Assert.Equal(reports[^1], model.LastCollapseReport);
        // The progress callback gets the same figures as the epoch's metrics.
        Assert.Equal(6, progress.Count);
        Assert.Equal(reports[^1].ActiveTripletFraction, progress[^1].Metrics["ActiveTripletFraction"], 12);
        Assert.Equal(reports[^1].MeanPairwiseDistance, progress[^1].Metrics["MeanPairwiseDistance"], 12);
    }

    [Fact]
    public void Healthy_semi_hard_training_writes_no_collapse_warning()
    {
        var (_, model, logWarnings, reports, _) = Train(TripletMining.SemiHard, margin: 0.2f, learningRate: 3e-3f);

        Assert.Equal(6, reports.Count);
        Assert.All(reports, r => Assert.False(r.IsCollapsed));
        Assert.True(reports[^1].MeanPairwiseDistance > 0.3, $"mean pairwise distance {reports[^1].MeanPairwiseDistance}");
        Assert.Empty(model.CollapseWarnings);
        Assert.Empty(logWarnings);
    }
}
