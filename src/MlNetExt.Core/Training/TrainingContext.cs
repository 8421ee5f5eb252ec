using Microsoft.ML.Runtime;
using TorchSharp;
using TorchSharp.Modules;

namespace MlNetExt.Core.Training;

/// <summary>The state of one <see cref="NeuralTrainingLoop.Train"/> call, shared with its callbacks.
/// It tracks the best weights (lowest validation loss, or training loss without validation) as CPU copies.</summary>
public sealed class TrainingContext
{
    private readonly IHost _host;
    private readonly List<TrainingProgress> _history = new();
    private Dictionary<string, torch.Tensor>? _bestWeights;

    internal TrainingContext(IHost host, torch.nn.Module module, NeuralTrainerOptions options, string stage, int seed,
        torch.Device device, int totalEpochs, long batchesPerEpoch, DataViewTensorSource train,
        DataViewTensorSource? validation, IReadOnlyList<Parameter> parameters)
    {
        _host = host;
        Module = module;
        Options = options;
        Stage = stage;
        Seed = seed;
        Device = device;
        TotalEpochs = totalEpochs;
        BatchesPerEpoch = batchesPerEpoch;
        TotalSteps = totalEpochs * batchesPerEpoch;
        TrainData = train;
        ValidationData = validation;
        Parameters = parameters;
    }

    /// <summary>The module being trained.</summary>
    public torch.nn.Module Module { get; }

    /// <summary>The trainer's options.</summary>
    public NeuralTrainerOptions Options { get; }

    /// <summary>The stage name given to <see cref="NeuralTrainingLoop.Train"/>.</summary>
    public string Stage { get; }

    /// <summary>The resolved seed.</summary>
    public int Seed { get; }

    /// <summary>The device the module trains on.</summary>
    public torch.Device Device { get; }

    /// <summary>The training data.</summary>
    public DataViewTensorSource TrainData { get; }

    /// <summary>The validation data, or null.</summary>
    public DataViewTensorSource? ValidationData { get; }

    /// <summary>The parameters the optimizer updates.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The number of epochs asked for.</summary>
    public int TotalEpochs { get; }

    /// <summary>Minibatches per epoch.</summary>
    public long BatchesPerEpoch { get; }

    /// <summary>Optimizer steps over the whole call (the learning-rate schedule's horizon).</summary>
    public long TotalSteps { get; }

    /// <summary>The current 1-based epoch (0 before the first).</summary>
    public int Epoch { get; internal set; }

    /// <summary>The current 0-based minibatch within the epoch.</summary>
    public int Batch { get; internal set; }

    /// <summary>The number of optimizer steps taken so far in this call.</summary>
    public long Step { get; internal set; }

    /// <summary>The base learning rate of the latest step (before group multipliers).</summary>
    public double LearningRate { get; internal set; }

    /// <summary>The progress of every finished epoch.</summary>
    public IReadOnlyList<TrainingProgress> History => _history;

    /// <summary>The 1-based epoch of the best weights so far (0: the weights before training).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The loss of the best epoch: validation loss when there is validation data, else training loss.</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>True once a callback asked training to stop after the current epoch.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Why training was asked to stop, or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>When set (early stopping sets it), the best weights are restored when training ends.</summary>
    public bool RestoreBestWeightsAtEnd { get; set; }

    /// <summary>Asks training to stop after the current epoch.</summary>
    /// <param name="reason">Why, for the log.</param>
    public void RequestStop(string reason)
    {
        StopRequested = true;
        StopReason = reason;
    }

    /// <summary>Writes an informational message to the MLContext's log.</summary>
    /// <param name="message">The message.</param>
    public void Log(string message)
    {
        using var channel = _host.Start(Stage);
        channel.Info(MessageSensitivity.None, message);
    }

    /// <summary>Writes a warning to the MLContext's log.</summary>
    /// <param name="message">The message.</param>
    public void Warn(string message)
    {
        using var channel = _host.Start(Stage);
        channel.Warning(MessageSensitivity.None, message);
    }

    /// <summary>Copies the module's weights into the best weights in place.</summary>
    public void RestoreBestWeights()
    {
        if (_bestWeights is not null)
            WeightSnapshot.Restore(Module, _bestWeights);
    }

    /// <summary>New CPU copies of the best weights (state_dict names), owned by the caller.</summary>
    public Dictionary<string, torch.Tensor> CopyBestWeights() =>
        _bestWeights is null ? new Dictionary<string, torch.Tensor>() : WeightSnapshot.Copy(_bestWeights);

    internal void AddHistory(TrainingProgress progress) => _history.Add(progress);

    /// <summary>Records the weights as best when <paramref name="loss"/> beats the best so far (epoch 0: initial weights).</summary>
    internal void OfferBest(int epoch, double loss)
    {
        if (_bestWeights is not null && !(loss < BestLoss && double.IsFinite(loss)))
            return;
        WeightSnapshot.Dispose(_bestWeights);
        _bestWeights = WeightSnapshot.Capture(Module);
        BestEpoch = epoch;
        BestLoss = epoch == 0 ? double.PositiveInfinity : loss;
    }

    internal void ReleaseBestWeights()
    {
        WeightSnapshot.Dispose(_bestWeights);
        _bestWeights = null;
    }
}
