using Microsoft.ML;
using MlNetExt.Core.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Training;

/// <summary>The loop's extension points for trainers such as triplet embeddings: a batch sampler that chooses each batch's
/// rows, metrics computed once per epoch, and early stopping that watches one of them.</summary>
public class BatchSamplerAndEpochMetricsTests
{
    /// <summary>Batches of rows {0, 1, 2} and {seed % 8, 10, 10} (a row may repeat), two per epoch.</summary>
    private sealed class FixedSampler : IBatchSampler
    {
        public List<int> Seeds { get; } = new();

        public long BatchCount => 2;

        public IEnumerable<long[]> Epoch(int seed)
        {
            Seeds.Add(seed);
            yield return [0, 1, 2];
            yield return [seed % 8, 10, 10];
        }
    }

    private static (DataViewTensorSource Source, float[] Labels) Data(MLContext ml, long maxInMemoryBytes = 1L << 30)
    {
        var rows = LinearRegressionData.Rows(32, seed: 3).ToList();
        var source = DataViewTensorSource.Create(ml.Data.LoadFromEnumerable(rows), LinearRegressionData.Columns, maxInMemoryBytes, 8);
        return (source, rows.Select(r => r.Label).ToArray());
    }

    [Fact]
    public void Batch_sampler_chooses_the_rows_of_every_batch_with_a_seed_per_epoch()
    {
        var ml = new MLContext(seed: 1);
        var (train, labels) = Data(ml);
        var sampler = new FixedSampler();
        var loop = new NeuralTrainingLoop(ml, new NeuralTrainerOptions { Epochs = 3, BatchSize = 4 }, "test");
        loop.SeedTorch();
        var model = nn.Linear(2, 1);
        var seen = new List<float[]>();

        var result = loop.Train(model, train, null, b =>
        {
            seen.Add(b["Label"].data<float>().ToArray());
            return LinearRegressionData.MeanSquaredError(model, b);
        }, batchSampler: sampler);

        Assert.Equal(3, result.EpochsRun);
        Assert.Equal(6, seen.Count);
        Assert.Equal(3, sampler.Seeds.Distinct().Count());
        for (int epoch = 0; epoch < 3; epoch++)
        {
            Assert.Equal(new[] { labels[0], labels[1], labels[2] }, seen[2 * epoch]);
            Assert.Equal(new[] { labels[sampler.Seeds[epoch] % 8], labels[10], labels[10] }, seen[2 * epoch + 1]);
        }
    }

    [Fact]
    public void Batch_sampler_on_streamed_data_is_rejected_naming_the_memory_option()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = Data(ml, maxInMemoryBytes: 64);
        Assert.False(train.IsInMemory);
        var loop = new NeuralTrainingLoop(ml, new NeuralTrainerOptions { Epochs = 1 }, "test");
        var model = nn.Linear(2, 1);

        var error = Assert.Throws<ArgumentException>(() =>
            loop.Train(model, train, null, b => LinearRegressionData.MeanSquaredError(model, b), batchSampler: new FixedSampler()));
        Assert.Contains("MaxInMemoryBytes", error.Message);
    }

    [Fact]
    public void Sampled_batches_of_rows_outside_the_data_are_rejected()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = Data(ml);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => train.GetBatches(new[] { new long[] { 0, 32 } }).ToList());
        Assert.Contains("32", error.Message);
    }

    [Fact]
    public void Epoch_metrics_join_the_progress_and_early_stopping_can_watch_one_of_them()
    {
        // Given: a metric that peaks at epoch 3 (higher is better), watched with patience 2.
        var ml = new MLContext(seed: 2);
        var (train, _) = Data(ml);
        var (validation, _) = Data(ml);
        double[] score = [0.1, 0.4, 0.9, 0.5, 0.3, 0.2, 0.1, 0.1];
        var options = new NeuralTrainerOptions
        {
            Epochs = 8, BatchSize = 8, LearningRate = 0.05f,
            EarlyStopping = new EarlyStoppingOptions { Patience = 2, Metric = "Score", HigherIsBetter = true },
        };
        var loop = new NeuralTrainingLoop(ml, options, "test");
        loop.SeedTorch();
        var model = nn.Linear(2, 1);
        var weights = new List<float[]>();
        var progress = new List<TrainingProgress>();
        options.Progress = progress.Add;

        var result = loop.Train(model, train, validation, b => LinearRegressionData.MeanSquaredError(model, b), epochMetrics: context =>
        {
            Assert.False(model.training);
            weights.Add(model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
            return new Dictionary<string, double> { ["Score"] = score[context.Epoch - 1] };
        });

        // Then: it stops two epochs after the peak, keeps the peak's weights and reports the metric every epoch.
        Assert.True(result.StoppedEarly);
        Assert.Equal(5, result.EpochsRun);
        Assert.Equal(3, result.BestEpoch);
        Assert.Equal(score.Take(5), result.History.Select(h => h.Metrics["Score"]));
        Assert.Equal(5, progress.Count);
        Assert.All(progress, p => Assert.NotNull(p.ValidationLoss));
        Assert.Equal(weights[2], model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
    }

    [Fact]
    public void Early_stopping_on_a_metric_that_is_not_reported_names_it_and_the_reported_ones()
    {
        var ml = new MLContext(seed: 2);
        var (train, _) = Data(ml);
        var (validation, _) = Data(ml);
        var options = new NeuralTrainerOptions { Epochs = 3, EarlyStopping = new EarlyStoppingOptions { Metric = "Accuracy" } };
        var loop = new NeuralTrainingLoop(ml, options, "test");
        var model = nn.Linear(2, 1);

        var error = Assert.Throws<InvalidOperationException>(() => loop.Train(model, train, validation,
            b => LinearRegressionData.MeanSquaredError(model, b), epochMetrics: _ => new Dictionary<string, double> { ["Score"] = 1 }));
        Assert.Contains("'Accuracy'", error.Message);
        Assert.Contains("Score", error.Message);
    }
}
