using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;
using TorchSharp.Modules;

namespace MlNetExt.Core.Training;

/// <summary>Minibatch training of a TorchSharp module over <see cref="DataViewTensorSource"/>s with the optimizer,
/// schedule, clipping, validation, early stopping, progress and divergence guard the options ask for.</summary>
/// <remarks>Not thread-safe. Every step runs inside a dispose scope, so memory stays flat over long runs.</remarks>
public sealed class NeuralTrainingLoop
{
    private readonly IHost _host;
    private readonly NeuralTrainerOptions _options;
    private int _trainCalls;

    /// <summary>Checks the options, resolves the seed and the device.</summary>
    /// <param name="context">The ML.NET context: source of the seed when <see cref="NeuralTrainerOptions.Seed"/> is null, and of the log.</param>
    /// <param name="options">The trainer's options.</param>
    /// <param name="componentName">The name messages on <see cref="MLContext.Log"/> carry.</param>
    /// <exception cref="NotSupportedException">CUDA was asked for but is not available.</exception>
    public NeuralTrainingLoop(MLContext context, NeuralTrainerOptions options, string componentName)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(componentName);
        Validate(options);
        _options = options;
        _host = ((IHostEnvironment)context).Register(componentName);
        Seed = options.Seed ?? _host.Rand.Next();
        Device = TrainingDevice.Parse(options.Device);
    }

    /// <summary>Checks the options and the device, and trains with a seed the estimator resolved when it was constructed
    /// (<see cref="EstimatorSeed.Resolve"/>); constructing the loop draws nothing from the MLContext's random source.</summary>
    /// <param name="context">The ML.NET context: where messages are logged.</param>
    /// <param name="options">The trainer's options (<see cref="NeuralTrainerOptions.Seed"/> is ignored: <paramref name="seed"/> is used).</param>
    /// <param name="componentName">The name messages on <see cref="MLContext.Log"/> carry.</param>
    /// <param name="seed">The resolved seed.</param>
    /// <exception cref="NotSupportedException">CUDA was asked for but is not available.</exception>
    public NeuralTrainingLoop(MLContext context, NeuralTrainerOptions options, string componentName, int seed)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(componentName);
        Validate(options);
        _options = options;
        _host = ((IHostEnvironment)context).Register(componentName, seed);
        Seed = seed;
        Device = TrainingDevice.Parse(options.Device);
    }

    /// <summary>The seed, resolved once: <see cref="NeuralTrainerOptions.Seed"/> or drawn from the MLContext.</summary>
    public int Seed { get; }

    /// <summary>The device the module must be on.</summary>
    public torch.Device Device { get; }

    /// <summary>Writes a warning to the MLContext's log under the trainer's component name (for data problems found before training).</summary>
    /// <param name="message">The message.</param>
    public void Warn(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        using var channel = _host.Start("data");
        channel.Warning(MessageSensitivity.None, message);
    }

    /// <summary>Seeds torch's global generators with <see cref="Seed"/> and returns it; call before constructing the module.</summary>
    /// <remarks>torch's default generator is process-wide (module initialization and dropout draw from it): two runs with the
    /// same seed give bit-identical weights on the CPU when no other thread uses torch's generator at the same time.</remarks>
    public int SeedTorch()
    {
        torch.manual_seed(Seed);
        torch.random.manual_seed(Seed);
        if (Device.type == DeviceType.CUDA)
            torch.cuda.manual_seed_all(Seed);
        return Seed;
    }

    /// <summary>Trains <paramref name="module"/> (already on <see cref="Device"/>) and leaves it in eval mode.</summary>
    /// <param name="module">The module.</param>
    /// <param name="train">Training data, shuffled every epoch with a seed derived from <see cref="Seed"/>, the call and the epoch.</param>
    /// <param name="validation">Validation data, or null.</param>
    /// <param name="computeLoss">Returns the scalar mean loss of a batch; called inside a dispose scope, in train mode
    /// for training and in eval mode under no_grad for validation.</param>
    /// <param name="stage">Names the stage in progress reports and the log.</param>
    /// <param name="epochs">Epochs to run; default <see cref="NeuralTrainerOptions.Epochs"/>.</param>
    /// <param name="parameters">The parameters to train with their learning-rate multipliers; default all that require grad.</param>
    /// <param name="callbacks">Extra callbacks, run after the built-in ones.</param>
    /// <param name="validationMetrics">Metrics of a validation batch (in eval mode under no_grad), averaged over rows.</param>
    /// <param name="batchSampler">Chooses the rows of every training batch (in-memory data only); default: the data
    /// shuffled every epoch and cut into batches of <see cref="NeuralTrainerOptions.BatchSize"/>.</param>
    /// <param name="epochMetrics">Metrics computed once per epoch after the validation pass, in eval mode under no_grad, for
    /// what needs the whole validation set (retrieval, ranking) or the trainer's own bookkeeping; they join the epoch's
    /// <see cref="TrainingProgress.Metrics"/> and can be watched by <see cref="EarlyStoppingOptions.Metric"/>.</param>
    /// <returns>The history and which epoch's weights the module holds.</returns>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><see cref="NeuralTrainerOptions.CancellationToken"/> was cancelled.</exception>
    public TrainingResult Train(torch.nn.Module module, DataViewTensorSource train, DataViewTensorSource? validation,
        Func<TensorBatch, torch.Tensor> computeLoss, string stage = "train", int? epochs = null,
        IReadOnlyList<ParameterGroup>? parameters = null, IReadOnlyList<ITrainingCallback>? callbacks = null,
        Func<TensorBatch, IReadOnlyDictionary<string, double>>? validationMetrics = null,
        IBatchSampler? batchSampler = null, Func<TrainingContext, IReadOnlyDictionary<string, double>>? epochMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(computeLoss);
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        var totalEpochs = epochs ?? _options.Epochs;
        ArgumentOutOfRangeException.ThrowIfLessThan(totalEpochs, 1, nameof(epochs));

        var groups = parameters ?? [new ParameterGroup(module.parameters().Where(p => p.requires_grad))];
        var trained = groups.SelectMany(g => g.Parameters).ToArray();
        if (trained.Length == 0)
            throw new ArgumentException("There are no parameters to train (none requires grad).", nameof(parameters));

        var callIndex = _trainCalls++;
        if (_options.StopToken.IsCancellationRequested)
            return new TrainingResult(stage, [], 0, 0, null, stoppedEarly: true);   // stopped in an earlier stage: skip this one
        var batchSize = _options.BatchSize;
        if (batchSampler is not null && !train.IsInMemory)
            throw new ArgumentException(
                $"A batch sampler needs the training data in memory; {train.RowCount} rows stream through cursors (raise MaxInMemoryBytes).",
                nameof(batchSampler));
        var batchesPerEpoch = batchSampler?.BatchCount ?? train.BatchCount(batchSize);
        var context = new TrainingContext(_host, module, _options, stage, Seed, Device, totalEpochs, batchesPerEpoch,
            train, validation, trained);
        var allCallbacks = BuiltInCallbacks().Concat(callbacks ?? []).ToArray();
        var token = _options.CancellationToken;
        var clock = Stopwatch.StartNew();

        using var optimizer = OptimizerFactory.Create(_options, groups);
        var learningRates = optimizer.Groups.Zip(groups, (g, p) => (g, p.LearningRateMultiplier)).ToArray();
        var stopped = false;
        try
        {
            token.ThrowIfCancellationRequested();
            context.OfferBest(0, double.PositiveInfinity);
            foreach (var callback in allCallbacks)
                callback.OnTrainBegin(context);

            for (var epoch = 1; epoch <= totalEpochs; epoch++)
            {
                context.Epoch = epoch;
                module.train();
                var trainLoss = TrainEpoch(context, optimizer, learningRates, train, computeLoss, allCallbacks,
                    ShuffleSeed(callIndex, epoch), clock, batchSampler);
                token.ThrowIfCancellationRequested();
                // StopToken: the (possibly partial) epoch is validated and recorded like a full one, then training ends.
                stopped = _options.StopToken.IsCancellationRequested;
                var (validationLoss, metrics) = validation is null
                    ? (null, new Dictionary<string, double>())
                    : Evaluate(module, Device, validation, batchSize, computeLoss, validationMetrics, token);
                if (epochMetrics is not null)
                    AddEpochMetrics(module, context, epochMetrics, metrics);
                module.train();

                var progress = new TrainingProgress(stage, epoch, totalEpochs, trainLoss, validationLoss,
                    context.LearningRate, clock.Elapsed, metrics);
                context.AddHistory(progress);
                var monitored = _options.EarlyStopping?.Monitored(progress) ?? validationLoss ?? trainLoss;
                if (validationLoss is double v && !double.IsFinite(v))
                    context.Warn(FormattableString.Invariant(
                        $"Stage '{stage}' epoch {epoch}: the validation loss is {v}; this epoch does not count as an improvement (check the validation data for extreme values)."));
                else if (double.IsFinite(monitored))
                    context.OfferBest(epoch, monitored);
                foreach (var callback in allCallbacks)
                    callback.OnEpochEnd(context, progress);
                if (stopped)
                    context.RequestStop("stopped by StopToken");
                if (context.StopRequested)
                    break;
            }

            var result = Finish(context, stopped);
            foreach (var callback in allCallbacks)
                callback.OnTrainEnd(context, result);
            return result;
        }
        finally
        {
            context.ReleaseBestWeights();
            module.eval();
        }
    }

    /// <summary>Restores the best weights when a callback asked for it and summarizes the run.</summary>
    private static TrainingResult Finish(TrainingContext context, bool stoppedByToken)
    {
        var epochsRun = context.History.Count;
        var bestEpoch = epochsRun;
        if ((context.RestoreBestWeightsAtEnd || stoppedByToken) && context.BestEpoch > 0)
        {
            if (context.BestEpoch != epochsRun)
                context.RestoreBestWeights();
            bestEpoch = context.BestEpoch;
        }
        // A NaN or infinite validation loss is never the best one.
        var validationLosses = context.History.Where(h => h.ValidationLoss is double v && double.IsFinite(v))
            .Select(h => h.ValidationLoss!.Value).ToArray();
        return new TrainingResult(context.Stage, context.History.ToArray(), epochsRun, bestEpoch,
            validationLosses.Length == 0 ? null : validationLosses.Min(),
            stoppedByToken || (context.StopRequested && epochsRun < context.TotalEpochs));
    }

    /// <summary>One pass over the shuffled training data; returns the row-weighted mean loss.</summary>
    private double TrainEpoch(TrainingContext context, ParameterOptimizer optimizer,
        (OptimizerGroup Group, float Multiplier)[] learningRates, DataViewTensorSource train,
        Func<TensorBatch, torch.Tensor> computeLoss, ITrainingCallback[] callbacks, int shuffleSeed, Stopwatch clock,
        IBatchSampler? batchSampler)
    {
        double lossSum = 0;
        long rows = 0;
        var batchIndex = 0;
        var batches = batchSampler is null
            ? train.GetBatches(_options.BatchSize, shuffle: true, shuffleSeed, Device)
            : train.GetBatches(batchSampler.Epoch(shuffleSeed), Device);
        foreach (var batch in batches)
        {
            using (batch)
            {
                _options.CancellationToken.ThrowIfCancellationRequested();
                context.Batch = batchIndex++;
                context.LearningRate = _options.LearningRate
                    * LearningRateScheduler.Multiplier(_options.LearningRateSchedule, context.Step, context.TotalSteps);
                foreach (var (group, multiplier) in learningRates)
                    group.LearningRate = context.LearningRate * multiplier;

                var loss = Step(context.Module, optimizer, context.Parameters, batch, computeLoss);
                context.Step++;
                lossSum += loss * batch.Count;
                rows += batch.Count;
                foreach (var callback in callbacks)
                    callback.OnBatchEnd(context, loss);
                _options.BatchProgress?.Invoke(new TrainingBatchProgress(context.Stage, context.Epoch, context.TotalEpochs, batchIndex,
                    context.BatchesPerEpoch, batch.Count, loss, context.LearningRate, clock.Elapsed));
            }
            if (_options.StopToken.IsCancellationRequested)
                break;
        }
        return lossSum / rows;
    }

    private IEnumerable<ITrainingCallback> BuiltInCallbacks()
    {
        yield return new DivergenceGuardCallback();
        if (_options.EarlyStopping is not null)
            yield return new EarlyStoppingCallback(_options.EarlyStopping);
        if (_options.Progress is not null)
            yield return new ProgressCallback(_options.Progress);
        yield return new LoggingCallback();
    }

    /// <summary>One optimizer step inside a dispose scope; returns the batch loss.</summary>
    private double Step(torch.nn.Module module, ParameterOptimizer optimizer, IReadOnlyList<Parameter> trained, TensorBatch batch,
        Func<TensorBatch, torch.Tensor> computeLoss)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.ZeroGrad();
        var loss = computeLoss(batch);
        CheckScalar(loss);
        var value = ScalarValue(loss);
        if (!double.IsFinite(value))
            return value;
        loss.backward();
        if (_options.GradientClipNorm is float clip)
            torch.nn.utils.clip_grad_norm_(trained, clip);
        optimizer.Step();
        return value;
    }

    private static (double? Loss, Dictionary<string, double> Metrics) Evaluate(torch.nn.Module module, torch.Device validationDevice,
        DataViewTensorSource validation, int batchSize, Func<TensorBatch, torch.Tensor> computeLoss,
        Func<TensorBatch, IReadOnlyDictionary<string, double>>? validationMetrics, CancellationToken token)
    {
        module.eval();
        double lossSum = 0;
        long rows = 0;
        var metricSums = new Dictionary<string, double>(StringComparer.Ordinal);
        using var noGrad = torch.no_grad();
        foreach (var batch in validation.GetBatches(batchSize, shuffle: false, seed: 0, validationDevice))
        {
            using (batch)
            {
                token.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var loss = computeLoss(batch);
                CheckScalar(loss);
                lossSum += ScalarValue(loss) * batch.Count;
                rows += batch.Count;
                if (validationMetrics is not null)
                    foreach (var (name, value) in validationMetrics(batch))
                        metricSums[name] = metricSums.GetValueOrDefault(name) + value * batch.Count;
            }
        }
        var metrics = metricSums.ToDictionary(m => m.Key, m => m.Value / rows, StringComparer.Ordinal);
        return (lossSum / rows, metrics);
    }

    private static void AddEpochMetrics(torch.nn.Module module, TrainingContext context,
        Func<TrainingContext, IReadOnlyDictionary<string, double>> epochMetrics, Dictionary<string, double> metrics)
    {
        module.eval();
        using var noGrad = torch.no_grad();
        foreach (var (name, value) in epochMetrics(context))
            metrics[name] = value;
    }

    private static double ScalarValue(torch.Tensor loss) => loss.dtype switch
    {
        torch.ScalarType.Float32 => loss.item<float>(),
        torch.ScalarType.Float64 => loss.item<double>(),
        _ => loss.to_type(torch.float64).item<double>(),
    };

    private static void CheckScalar(torch.Tensor loss)
    {
        if (loss is null || loss.numel() != 1)
            throw new InvalidOperationException(
                $"computeLoss must return a scalar mean loss; it returned a tensor of shape [{(loss is null ? "null" : string.Join(", ", loss.shape))}].");
    }

    /// <summary>The shuffle seed of one epoch of one Train call, mixed so nearby inputs give unrelated orders.</summary>
    private int ShuffleSeed(int callIndex, int epoch)
    {
        unchecked
        {
            var x = ((ulong)(uint)Seed << 32) ^ ((ulong)(uint)callIndex << 20) ^ (uint)epoch;
            x += 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return (int)(x & 0x7FFFFFFF);
        }
    }

    private static void Validate(NeuralTrainerOptions options)
    {
        static void Fail(string message) => throw new ArgumentOutOfRangeException(nameof(options), message);
        if (options.Epochs < 1) Fail($"Epochs must be at least 1; found {options.Epochs}.");
        if (options.BatchSize < 1) Fail($"BatchSize must be at least 1; found {options.BatchSize}.");
        if (!(options.LearningRate > 0) || float.IsInfinity(options.LearningRate))
            Fail($"LearningRate must be a positive number; found {options.LearningRate}.");
        if (!(options.Momentum >= 0 && options.Momentum < 1)) Fail($"Momentum must be in [0, 1); found {options.Momentum}.");
        if (!(options.WeightDecay >= 0) || float.IsInfinity(options.WeightDecay))
            Fail($"WeightDecay must be a finite number >= 0; found {options.WeightDecay}.");
        if (options.GradientClipNorm is float clip && !(clip > 0))
            Fail($"GradientClipNorm must be positive when set; found {clip}.");
        if (!(options.ValidationFraction >= 0 && options.ValidationFraction < 1))
            Fail($"ValidationFraction must be in [0, 1); found {options.ValidationFraction}.");
        if (options.MaxInMemoryBytes < 0) Fail($"MaxInMemoryBytes must be >= 0; found {options.MaxInMemoryBytes}.");
        if (options.ShuffleBufferSize < 1) Fail($"ShuffleBufferSize must be at least 1; found {options.ShuffleBufferSize}.");
        if (options.EarlyStopping is { } early && early.Patience < 1)
            Fail($"EarlyStopping.Patience must be at least 1; found {early.Patience}.");
        if (options.EarlyStopping is { Metric: { } metric } && string.IsNullOrWhiteSpace(metric))
            Fail("EarlyStopping.Metric must name a metric, or be null to watch the validation loss.");
    }
}
