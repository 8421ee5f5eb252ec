using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetExt.Core;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// The training loop shared by the MLP and image encoders: P x K class-balanced batches, online mining, one optimizer
/// step per batch. After each epoch it scores the validation rows (when there are any), logs the loss, the collapse
/// report of the last batch and the validation metrics to the MLContext's log, warns there when the embeddings
/// collapsed, calls the options' progress callback and, with early stopping, stops when the validation MAP@R stalls
/// (restoring the best epoch's weights).
/// </summary>
internal sealed class TripletTrainingLoop
{
    private const string ComponentName = "TripletEmbedding";

    private readonly IHost _host;
    private readonly TripletEmbeddingOptions _options;
    private readonly List<string> _collapseWarnings = new();

    public TripletTrainingLoop(MLContext context, TripletEmbeddingOptions options)
    {
        NativeRuntimes.EnsureTorchSharp();   // before the first TorchSharp call: names the package when libtorch is missing
        _host = ((IHostEnvironment)context).Register(ComponentName);
        _options = options;
    }

    /// <summary>Seed of the sampler, the augmenter and torch (options' seed, 0 when none).</summary>
    public int Seed => _options.Seed ?? 0;

    /// <summary>The collapse report of the last training batch (null before training or with 0 epochs).</summary>
    public CollapseReport? LastCollapseReport { get; private set; }

    /// <summary>The collapse warnings written so far, one per collapsed epoch.</summary>
    public IReadOnlyList<string> CollapseWarnings => _collapseWarnings;

    /// <summary>Trains for the options' epochs and leaves <paramref name="net"/> in eval mode.</summary>
    /// <param name="net">The encoder (its parameters are the optimizer's).</param>
    /// <param name="inputs">Every row's input vector, row-major.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="width">Width of an input vector.</param>
    /// <param name="labels">Every row's 0-based class.</param>
    /// <param name="sampler">The P x K sampler over <paramref name="labels"/>.</param>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="forward">(inputs [B, width], classes [B], 1-based epoch) to unnormalised embeddings, in train mode.</param>
    /// <param name="trainMode">Puts the encoder in train mode (called at the start of every epoch).</param>
    /// <param name="validation">Held-out rows scored by <paramref name="net"/> in eval mode after every epoch, or null.</param>
    public IReadOnlyList<TripletTrainingEpoch> Run(nn.Module<Tensor, Tensor> net, float[] inputs, int rows, int width, int[] labels,
        ClassBalancedBatchSampler sampler, ParameterOptimizer optimizer, Func<Tensor, Tensor, int, Tensor> forward, Action trainMode,
        TripletValidationData? validation)
    {
        var o = _options;
        var history = new List<TripletTrainingEpoch>();
        Dictionary<string, Tensor>? bestWeights = null;
        double bestMap = double.NegativeInfinity;
        int bestEpoch = 0;
        try
        {
            using var allInputs = tensor(inputs, new long[] { rows, width });
            using var allLabels = tensor(labels.Select(l => (long)l).ToArray());
            for (int epoch = 1; epoch <= o.Epochs; epoch++)
            {
                trainMode();
                double lossSum = 0;
                int batches = 0;
                foreach (var batch in sampler.Epoch(Seed * 1_000_003 + epoch))
                {
                    using var scope = NewDisposeScope();
                    var index = tensor(batch.Select(i => (long)i).ToArray());
                    var batchLabels = allLabels.index_select(0, index);
                    var embeddings = nn.functional.normalize(forward(allInputs.index_select(0, index), batchLabels, epoch), p: 2, dim: 1);
                    optimizer.ZeroGrad();
                    var loss = TripletLoss.BatchLoss(embeddings, batchLabels, o.Margin, o.Distance, o.Mining, o.Reduction);
                    loss.backward();
                    optimizer.Step();
                    double value = loss.item<float>();
                    if (!double.IsFinite(value))
                        throw new InvalidOperationException($"Triplet training diverged at epoch {epoch} (loss {value}); lower the LearningRate.");
                    lossSum += value;
                    batches++;
                    LastCollapseReport = CollapseDetector.Assess(embeddings.detach(), batchLabels, o.Margin, o.Distance);
                }
                var report = LastCollapseReport!;
                double meanLoss = lossSum / Math.Max(1, batches);
                var scores = validation is null ? (NeighbourRetrieval.Result?)null : Score(net, validation, width);
                history.Add(new TripletTrainingEpoch(epoch, meanLoss, report, scores?.RecallAt1, scores?.MeanAveragePrecisionAtR));
                Log(epoch, meanLoss, report, scores);
                o.Progress?.Invoke(epoch, meanLoss, report);

                if (scores is { } s && o.EarlyStopping is { } stopping)
                {
                    if (s.MeanAveragePrecisionAtR > bestMap + stopping.MinDelta)
                    {
                        bestMap = s.MeanAveragePrecisionAtR;
                        bestEpoch = epoch;
                        WeightSnapshot.Dispose(bestWeights);
                        bestWeights = WeightSnapshot.Capture(net);
                    }
                    else if (epoch - bestEpoch >= stopping.Patience)
                    {
                        LogStop(epoch, bestEpoch, bestMap);
                        break;
                    }
                }
            }
            if (bestWeights is not null && bestEpoch != history.Count)
                WeightSnapshot.Restore(net, bestWeights);
            net.eval();
            return history;
        }
        finally
        {
            WeightSnapshot.Dispose(bestWeights);
        }
    }

    /// <summary>Leave-one-out retrieval metrics of the validation rows' L2-normalised embeddings (eval mode, no_grad).</summary>
    private static NeighbourRetrieval.Result Score(nn.Module<Tensor, Tensor> net, TripletValidationData validation, int width)
    {
        net.eval();
        var embeddings = new List<float>();
        int dimension = 0;
        using (no_grad())
        {
            for (int start = 0; start < validation.Rows; start += 256)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(256, validation.Rows - start);
                var x = tensor(validation.Inputs.AsSpan(start * width, count * width).ToArray(), new long[] { count, width });
                var e = nn.functional.normalize(net.call(x), p: 2, dim: 1);
                dimension = (int)e.shape[1];
                embeddings.AddRange(e.cpu().data<float>().ToArray());
            }
        }
        return NeighbourRetrieval.Compute(embeddings.ToArray(), validation.Rows, dimension, validation.Labels, validation.ClassSizes,
            normalised: false, blockSize: 512);
    }

    private void LogStop(int epoch, int bestEpoch, double bestMap)
    {
        using var channel = _host.Start("train");
        channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
            $"Early stopping after epoch {epoch}: validation MAP@R has not improved since epoch {bestEpoch} ({bestMap:G4}); keeping that epoch's weights."));
    }

    private void Log(int epoch, double meanLoss, CollapseReport report, NeighbourRetrieval.Result? scores)
    {
        var o = _options;
        using var channel = _host.Start("train");
        var validation = scores is { } s
            ? string.Create(CultureInfo.InvariantCulture, $", validation recall@1 {s.RecallAt1:G4}, MAP@R {s.MeanAveragePrecisionAtR:G4}")
            : "";
        channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
            $"Epoch {epoch}/{o.Epochs}: triplet loss {meanLoss:G6}, active triplets {report.ActiveTripletFraction:P1}, " +
            $"mean pairwise distance {report.MeanPairwiseDistance:G4}{validation}."));
        if (!report.IsCollapsed)
            return;
        var warning = string.Create(CultureInfo.InvariantCulture,
            $"Triplet embedding collapsed at epoch {epoch}: mean pairwise distance {report.MeanPairwiseDistance:G4} (margin {o.Margin:G4}), " +
            $"{report.ActiveTripletFraction:P1} of triplets active, mean triplet loss {report.MeanLoss:G4}. Every input maps to nearly " +
            $"the same point; try semi-hard mining, a smaller margin or a smaller learning rate.");
        _collapseWarnings.Add(warning);
        channel.Warning(MessageSensitivity.None, warning);
    }
}
