using Microsoft.ML;
using MlNetExt.Core.Torch;
using MlNetExt.Core.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Training;

public class NeuralTrainingLoopTests
{
    private static (NeuralTrainingLoop Loop, nn.Module<Tensor, Tensor> Model) Setup(MLContext ml, NeuralTrainerOptions options)
    {
        var loop = new NeuralTrainingLoop(ml, options, "test");
        loop.SeedTorch();
        return (loop, nn.Linear(2, 1));
    }

    /// <summary>Trains a Linear(2, 1); <paramref name="zeroInit"/> starts from zero weights, so the outcome does not depend on
    /// torch's process-wide generator (which tests running in parallel share).</summary>
    private static TrainingResult Fit(MLContext ml, NeuralTrainerOptions options, IDataView data, out nn.Module<Tensor, Tensor> model,
        IReadOnlyList<ITrainingCallback>? callbacks = null, DataViewTensorSource? validation = null, bool zeroInit = false)
    {
        var (loop, m) = Setup(ml, options);
        model = m;
        if (zeroInit)
            using (no_grad())
                foreach (var p in m.parameters())
                    p.zero_();
        var train = DataViewTensorSource.Create(data, LinearRegressionData.Columns, options.MaxInMemoryBytes, options.ShuffleBufferSize, cancellationToken: TestContext.Current.CancellationToken);
        var net = m;
        return loop.Train(m, train, validation, b => LinearRegressionData.MeanSquaredError(net, b), callbacks: callbacks);
    }

    [Fact]
    public void Train_learns_linear_regression_down_to_the_noise_level()
    {
        var ml = new MLContext(seed: 1);
        var options = new NeuralTrainerOptions { Epochs = 40, BatchSize = 32, LearningRate = 0.05f };

        var result = Fit(ml, options, LinearRegressionData.Load(ml, 512), out var model);

        var noiseVariance = LinearRegressionData.NoiseStd * LinearRegressionData.NoiseStd;
        Assert.True(result.History[0].TrainLoss > 20 * noiseVariance, $"first epoch loss {result.History[0].TrainLoss}");
        Assert.True(result.History[^1].TrainLoss < 1.5 * noiseVariance, $"last epoch loss {result.History[^1].TrainLoss}");
        var weight = ((TorchSharp.Modules.Linear)model).weight!.data<float>().ToArray();
        Assert.Equal(2f, weight[0], 0.05f);
        Assert.Equal(-3f, weight[1], 0.05f);
        Assert.Equal(40, result.EpochsRun);
        Assert.Equal(40, result.BestEpoch);
        Assert.False(result.StoppedEarly);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam, LearningRateSchedule.Constant, 0.05f)]
    [InlineData(OptimizerKind.AdamW, LearningRateSchedule.Cosine, 0.05f)]
    [InlineData(OptimizerKind.Sgd, LearningRateSchedule.OneCycle, 0.1f)]
    [InlineData(OptimizerKind.Sgd, LearningRateSchedule.Constant, 0.05f)]
    [InlineData(OptimizerKind.AdamW, LearningRateSchedule.OneCycle, 0.05f)]
    public void Every_optimizer_and_schedule_reduces_the_loss(OptimizerKind optimizer, LearningRateSchedule schedule, float lr)
    {
        var ml = new MLContext(seed: 2);
        var options = new NeuralTrainerOptions
        {
            Epochs = 30, BatchSize = 32, LearningRate = lr, Optimizer = optimizer, LearningRateSchedule = schedule,
            WeightDecay = 1e-4f,
        };

        var result = Fit(ml, options, LinearRegressionData.Load(ml, 256), out _);

        Assert.True(result.History[^1].TrainLoss < 0.05, $"{optimizer}/{schedule}: final loss {result.History[^1].TrainLoss}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss / 10);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Sgd)]
    public void Weight_decay_shrinks_the_learned_weights(OptimizerKind optimizer)
    {
        double WeightNorm(float decay)
        {
            var ml = new MLContext(seed: 12);
            var options = new NeuralTrainerOptions { Epochs = 15, BatchSize = 32, LearningRate = 0.05f, Optimizer = optimizer, WeightDecay = decay };
            Fit(ml, options, LinearRegressionData.Load(ml, 256), out var model, zeroInit: true);
            var weight = ((TorchSharp.Modules.Linear)model).weight!;
            return weight.norm().item<float>();
        }

        var plain = WeightNorm(0f);
        var decayed = WeightNorm(0.5f);

        Assert.True(plain > 3.3, $"{optimizer}: without decay |w| = {plain} (true 3.6)");
        Assert.True(decayed < 0.9 * plain, $"{optimizer}: with decay |w| = {decayed}, without {plain}");
    }

    [Fact]
    public void Sgd_momentum_changes_the_trajectory()
    {
        float[] Weights(float momentum)
        {
            var ml = new MLContext(seed: 13);
            var options = new NeuralTrainerOptions { Epochs = 1, BatchSize = 32, LearningRate = 0.01f, Optimizer = OptimizerKind.Sgd, Momentum = momentum };
            Fit(ml, options, LinearRegressionData.Load(ml, 256), out var model, zeroInit: true);
            return ((TorchSharp.Modules.Linear)model).weight!.data<float>().ToArray();
        }

        var without = Weights(0f);
        var with = Weights(0.9f);

        // Heavy-ball momentum takes larger effective steps towards w = (2, -3) early on.
        Assert.True(Math.Abs(with[0] - 2) < Math.Abs(without[0] - 2), $"with momentum {with[0]}, without {without[0]}");
        Assert.True(Math.Abs(with[1] + 3) < Math.Abs(without[1] + 3), $"with momentum {with[1]}, without {without[1]}");
    }

    [Fact]
    public void Seed_drawn_from_a_fresh_MLContext_is_deterministic_and_depends_on_its_seed()
    {
        var options = new NeuralTrainerOptions();

        var a = new NeuralTrainingLoop(new MLContext(seed: 5), options, "seed").Seed;
        var b = new NeuralTrainingLoop(new MLContext(seed: 5), options, "seed").Seed;
        var c = new NeuralTrainingLoop(new MLContext(seed: 6), options, "seed").Seed;
        var explicitSeed = new NeuralTrainingLoop(new MLContext(seed: 5), new NeuralTrainerOptions { Seed = 123 }, "seed").Seed;

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(123, explicitSeed);
    }

    [Fact]
    public void Cancellation_stops_training_between_batches()
    {
        var ml = new MLContext(seed: 3);
        using var cancellation = new CancellationTokenSource();
        var options = new NeuralTrainerOptions { Epochs = 100, BatchSize = 8, CancellationToken = cancellation.Token };
        var batches = new CountingCallback(onBatch: count => { if (count == 5) cancellation.Cancel(); });

        Assert.ThrowsAny<OperationCanceledException>(() => Fit(ml, options, LinearRegressionData.Load(ml, 128), out _, [batches]));
        Assert.Equal(5, batches.Batches);
    }

    [Fact]
    public void Huge_learning_rate_raises_diverged_with_epoch_and_batch_and_restores_best_weights()
    {
        var ml = new MLContext(seed: 4);
        var options = new NeuralTrainerOptions { Epochs = 50, BatchSize = 16, LearningRate = 1e6f, Optimizer = OptimizerKind.Sgd, Momentum = 0.9f };
        var (loop, model) = Setup(ml, options);
        var initial = model.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        var train = DataViewTensorSource.Create(LinearRegressionData.Load(ml, 128), LinearRegressionData.Columns, cancellationToken: TestContext.Current.CancellationToken);

        var error = Assert.Throws<TrainingDivergedException>(() =>
            loop.Train(model, train, null, b => LinearRegressionData.MeanSquaredError(model, b)));

        Assert.Contains($"epoch {error.Epoch}", error.Message);
        Assert.Contains($"batch {error.Batch}", error.Message);
        Assert.Contains("lower LearningRate", error.Message);
        Assert.True(error.Epoch >= 1);
        var best = error.BestWeights;
        Assert.Equal(["bias", "weight"], best.Keys.Order());
        foreach (var (name, tensor) in model.state_dict())
        {
            Assert.All(tensor.data<float>().ToArray(), v => Assert.True(float.IsFinite(v)));
            Assert.Equal(best[name].data<float>().ToArray(), tensor.data<float>().ToArray());
        }
        if (error.Epoch == 1)   // nothing better than the start: the initial weights are back
            Assert.Equal(initial.SelectMany(x => x).Order(), model.parameters().SelectMany(p => p.data<float>().ToArray()).Order());
        foreach (var t in best.Values) t.Dispose();
    }

    [Fact]
    public void Gradient_clipping_bounds_the_total_gradient_norm()
    {
        double MaxNorm(float? clip)
        {
            var ml = new MLContext(seed: 5);
            var options = new NeuralTrainerOptions { Epochs = 2, BatchSize = 32, LearningRate = 1e-3f, GradientClipNorm = clip };
            var norms = new GradientNormCallback();
            Fit(ml, options, LinearRegressionData.Load(ml, 256), out _, [norms], zeroInit: true);
            return norms.Max;
        }

        var unclipped = MaxNorm(null);
        var clipped = MaxNorm(0.5f);

        Assert.True(unclipped > 1.0, $"unclipped gradient norm {unclipped} is too small for the test to mean anything");
        Assert.True(clipped <= 0.5 * (1 + 1e-4), $"clipped gradient norm {clipped}");
    }

    [Fact]
    public void Early_stopping_stops_and_restores_the_best_weights()
    {
        // Given: a validation set whose labels are the negated targets, so training makes validation worse after a while.
        var ml = new MLContext(seed: 6);
        var trainData = LinearRegressionData.Load(ml, 256, seed: 1);
        var validationRows = LinearRegressionData.Rows(128, seed: 2).Select(r => { r.Label = -r.Label; return r; }).ToList();
        var options = new NeuralTrainerOptions
        {
            Epochs = 60, BatchSize = 32, LearningRate = 0.02f, ValidationSet = ml.Data.LoadFromEnumerable(validationRows),
            EarlyStopping = new EarlyStoppingOptions { Patience = 3 },
        };
        var (loop, model) = Setup(ml, options);
        var (train, validation) = TrainingDataSplit.Create(ml, trainData, options, LinearRegressionData.Columns, loop.Seed);
        var snapshots = new SnapshotCallback();

        var result = loop.Train(model, train, validation, b => LinearRegressionData.MeanSquaredError(model, b), callbacks: [snapshots]);

        Assert.True(result.StoppedEarly);
        Assert.True(result.EpochsRun < 60);
        Assert.Equal(result.BestEpoch + 3, result.EpochsRun);
        var losses = result.History.Select(h => h.ValidationLoss!.Value).ToArray();
        Assert.Equal(losses.Min(), result.BestValidationLoss);
        Assert.Equal(losses.Min(), losses[result.BestEpoch - 1]);
        Assert.Equal(snapshots.Weights[result.BestEpoch - 1], model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
        Assert.NotEqual(snapshots.Weights[^1], model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
    }

    [Fact]
    public void Non_finite_validation_loss_is_never_the_best_and_early_stopping_keeps_the_best_finite_epoch()
    {
        // Given: validation losses that become NaN from epoch 3 on (as with extreme validation values).
        var ml = new MLContext(seed: 6);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var options = new NeuralTrainerOptions
        {
            Epochs = 20, BatchSize = 32, LearningRate = 0.02f, ValidationFraction = 0.25f,
            EarlyStopping = new EarlyStoppingOptions { Patience = 3 },
        };
        var (loop, model) = Setup(ml, options);
        var (train, validation) = TrainingDataSplit.Create(ml, LinearRegressionData.Load(ml, 256, seed: 1), options, LinearRegressionData.Columns, loop.Seed);
        var epochs = new EpochTracker();
        var snapshots = new SnapshotCallback();

        var result = loop.Train(model, train, validation, b =>
        {
            var loss = LinearRegressionData.MeanSquaredError(model, b);
            return !model.training && epochs.Epoch >= 3 ? loss.Times(double.NaN) : loss;
        }, callbacks: [epochs, snapshots]);

        // Then: NaN is reported per epoch but is neither the best loss nor an improvement.
        Assert.True(double.IsNaN(result.History[2].ValidationLoss!.Value));
        Assert.True(result.BestValidationLoss is double best && double.IsFinite(best), $"BestValidationLoss {result.BestValidationLoss}");
        Assert.Equal(result.History.Take(2).Min(h => h.ValidationLoss!.Value), result.BestValidationLoss);
        Assert.Equal(2, result.BestEpoch);
        Assert.True(result.StoppedEarly);
        Assert.Equal(5, result.EpochsRun);
        Assert.Equal(snapshots.Weights[1], model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
        lock (messages)
            Assert.Contains(messages, m => m.Contains("epoch 3: the validation loss is NaN"));
    }

    private sealed class EpochTracker : ITrainingCallback
    {
        public int Epoch { get; private set; }

        public void OnBatchEnd(TrainingContext context, double loss) => Epoch = context.Epoch;
    }

    [Fact]
    public void Early_stopping_without_validation_data_is_rejected()
    {
        var ml = new MLContext(seed: 6);
        var options = new NeuralTrainerOptions { Epochs = 2, EarlyStopping = new EarlyStoppingOptions() };

        var error = Assert.Throws<ArgumentException>(() => Fit(ml, options, LinearRegressionData.Load(ml, 32), out _));
        Assert.Contains("validation", error.Message);
    }

    [Fact]
    public void Progress_callback_and_MLContext_log_both_report_every_epoch()
    {
        var ml = new MLContext(seed: 7);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var reports = new List<TrainingProgress>();
        var options = new NeuralTrainerOptions { Epochs = 3, BatchSize = 16, LearningRate = 0.01f, ValidationFraction = 0.25f, Progress = reports.Add };
        var (loop, model) = Setup(ml, options);
        var (train, validation) = TrainingDataSplit.Create(ml, LinearRegressionData.Load(ml, 128), options, LinearRegressionData.Columns, loop.Seed);

        var result = loop.Train(model, train, validation, b => LinearRegressionData.MeanSquaredError(model, b), stage: "head",
            validationMetrics: b => new Dictionary<string, double> { ["mae"] = (model.forward(b["Features"]) - b["Label"]).abs().mean().item<float>() });

        Assert.Equal([1, 2, 3], reports.Select(r => r.Epoch));
        Assert.All(reports, r =>
        {
            Assert.Equal("head", r.Stage);
            Assert.Equal(3, r.TotalEpochs);
            Assert.NotNull(r.ValidationLoss);
            Assert.True(r.Metrics["mae"] > 0);
            Assert.Equal(0.01, r.LearningRate, 1e-9);
        });
        Assert.Equal(reports, result.History);
        Assert.Equal(128, train.RowCount + validation!.RowCount);
        lock (messages)
        {
            Assert.Contains(messages, m => m.Contains("epoch 1/3") && m.Contains("validation loss") && m.Contains("mae"));
            Assert.Contains(messages, m => m.Contains("epoch 3/3"));
            Assert.Contains(messages, m => m.Contains("finished after 3 epochs"));
        }
    }

    [Fact]
    public void Parameter_group_multiplier_scales_the_learning_rate_per_group()
    {
        var ml = new MLContext(seed: 8);
        var options = new NeuralTrainerOptions { Epochs = 3, BatchSize = 16, LearningRate = 0.05f, Optimizer = OptimizerKind.Sgd };
        var (loop, _) = Setup(ml, options);
        var first = nn.Linear(2, 4);
        var second = nn.Linear(4, 1);
        var model = nn.Sequential(first, second);
        var frozenBefore = first.weight!.data<float>().ToArray();
        var trainedBefore = second.weight!.data<float>().ToArray();
        var train = DataViewTensorSource.Create(LinearRegressionData.Load(ml, 64), LinearRegressionData.Columns, cancellationToken: TestContext.Current.CancellationToken);

        loop.Train(model, train, null, b => nn.functional.mse_loss(model.forward(b["Features"]), b["Label"]),
            parameters: [new ParameterGroup(first.parameters(), 0f), new ParameterGroup(second.parameters(), 1f)]);

        Assert.Equal(frozenBefore, first.weight!.data<float>().ToArray());
        Assert.NotEqual(trainedBefore, second.weight!.data<float>().ToArray());
    }

    [Fact]
    public void Live_tensor_count_stays_flat_over_50_epochs()
    {
        var ml = new MLContext(seed: 9);
        var options = new NeuralTrainerOptions { Epochs = 50, BatchSize = 16, LearningRate = 0.01f, ValidationFraction = 0.2f, GradientClipNorm = 1f };
        var (loop, model) = Setup(ml, options);
        var (train, validation) = TrainingDataSplit.Create(ml, LinearRegressionData.Load(ml, 160), options, LinearRegressionData.Columns, loop.Seed);
        var live = new LiveTensorCallback();

        loop.Train(model, train, validation, b => LinearRegressionData.MeanSquaredError(model, b), callbacks: [live]);

        Assert.Equal(50, live.PerEpoch.Count);
        Assert.Equal(live.PerEpoch[1], live.PerEpoch[^1]);
        Assert.True(live.PerEpoch.Max() - live.PerEpoch.Min() <= 2, string.Join(",", live.PerEpoch));
    }

    [Fact]
    public void Train_can_run_in_stages_that_continue_from_the_previous_weights()
    {
        var ml = new MLContext(seed: 10);
        var options = new NeuralTrainerOptions { Epochs = 3, BatchSize = 16, LearningRate = 0.02f };
        var (loop, model) = Setup(ml, options);
        var train = DataViewTensorSource.Create(LinearRegressionData.Load(ml, 128), LinearRegressionData.Columns, cancellationToken: TestContext.Current.CancellationToken);
        var stages = new List<string>();
        options.Progress = p => stages.Add($"{p.Stage}:{p.Epoch}/{p.TotalEpochs}");

        var first = loop.Train(model, train, null, b => LinearRegressionData.MeanSquaredError(model, b), stage: "warm-up", epochs: 2);
        var second = loop.Train(model, train, null, b => LinearRegressionData.MeanSquaredError(model, b), stage: "fine-tune");

        Assert.Equal(["warm-up:1/2", "warm-up:2/2", "fine-tune:1/3", "fine-tune:2/3", "fine-tune:3/3"], stages);
        Assert.Equal(2, first.EpochsRun);
        Assert.Equal(3, second.EpochsRun);
        Assert.True(second.History[0].TrainLoss < first.History[0].TrainLoss);
        Assert.False(model.training);   // left in eval mode, ready for export
    }

    [Fact]
    public void Loss_that_is_not_a_scalar_is_rejected()
    {
        var ml = new MLContext(seed: 11);
        var options = new NeuralTrainerOptions { Epochs = 1, BatchSize = 16 };
        var (loop, model) = Setup(ml, options);
        var train = DataViewTensorSource.Create(LinearRegressionData.Load(ml, 32), LinearRegressionData.Columns, cancellationToken: TestContext.Current.CancellationToken);

        var error = Assert.Throws<InvalidOperationException>(() =>
            loop.Train(model, train, null, b => (model.forward(b["Features"]) - b["Label"]).pow(2)));

        Assert.Contains("scalar", error.Message);
        Assert.Contains("[16, 1]", error.Message);
    }

    [Fact]
    public void Cuda_device_without_cuda_fails_clearly()
    {
        if (cuda.is_available())
            return;   // a GPU machine accepts the device
        var error = Assert.Throws<NotSupportedException>(() => new NeuralTrainingLoop(new MLContext(1), new NeuralTrainerOptions { Device = "cuda" }, "gpu"));
        Assert.Contains("CUDA is not available", error.Message);
        Assert.Throws<ArgumentException>(() => new NeuralTrainingLoop(new MLContext(1), new NeuralTrainerOptions { Device = "tpu" }, "gpu"));
    }

    [Fact]
    public void Options_out_of_range_are_rejected_with_the_option_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralTrainingLoop(new MLContext(1), new NeuralTrainerOptions { BatchSize = 0 }, "x"));
        Assert.Contains("BatchSize", error.Message);
    }

    private sealed class CountingCallback(Action<int> onBatch) : ITrainingCallback
    {
        public int Batches { get; private set; }

        public void OnBatchEnd(TrainingContext context, double loss) => onBatch(++Batches);
    }

    private sealed class GradientNormCallback : ITrainingCallback
    {
        public double Max { get; private set; }

        public void OnBatchEnd(TrainingContext context, double loss)
        {
            using var scope = NewDisposeScope();
            var total = context.Parameters.Select(p => p.grad!.pow(2).sum().item<float>()).Sum();
            Max = Math.Max(Max, Math.Sqrt(total));
        }
    }

    private sealed class SnapshotCallback : ITrainingCallback
    {
        public List<float[]> Weights { get; } = new();

        public void OnEpochEnd(TrainingContext context, TrainingProgress progress) =>
            Weights.Add(context.Module.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
    }

    private sealed class LiveTensorCallback : ITrainingCallback
    {
        public List<long> PerEpoch { get; } = new();

        public void OnEpochEnd(TrainingContext context, TrainingProgress progress) =>
            PerEpoch.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
