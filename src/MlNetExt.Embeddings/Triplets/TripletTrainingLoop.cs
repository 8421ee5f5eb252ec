using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// The training loop shared by the MLP and image encoders: P x K class-balanced batches, online mining, one optimizer
/// step per batch. After each epoch it logs the loss and the collapse report of the last batch to the MLContext's log,
/// warns there when the embeddings collapsed, and calls the options' progress callback.
/// </summary>
internal sealed class TripletTrainingLoop
{
    private const string ComponentName = "TripletEmbedding";

    private readonly IHost _host;
    private readonly TripletEmbeddingOptions _options;
    private readonly List<string> _collapseWarnings = new();

    public TripletTrainingLoop(MLContext context, TripletEmbeddingOptions options)
    {
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
    public IReadOnlyList<TripletTrainingEpoch> Run(nn.Module net, float[] inputs, int rows, int width, int[] labels,
        ClassBalancedBatchSampler sampler, optim.Optimizer optimizer, Func<Tensor, Tensor, int, Tensor> forward, Action trainMode)
    {
        var o = _options;
        var history = new List<TripletTrainingEpoch>();
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
                optimizer.zero_grad();
                var loss = TripletLoss.BatchLoss(embeddings, batchLabels, o.Margin, o.Distance, o.Mining, o.Reduction);
                loss.backward();
                optimizer.step();
                double value = loss.item<float>();
                if (!double.IsFinite(value))
                    throw new InvalidOperationException($"Triplet training diverged at epoch {epoch} (loss {value}); lower the LearningRate.");
                lossSum += value;
                batches++;
                LastCollapseReport = CollapseDetector.Assess(embeddings.detach(), batchLabels, o.Margin, o.Distance);
            }
            var report = LastCollapseReport!;
            double meanLoss = lossSum / Math.Max(1, batches);
            history.Add(new TripletTrainingEpoch(epoch, meanLoss, report));
            Log(epoch, meanLoss, report);
            o.Progress?.Invoke(epoch, meanLoss, report);
        }
        net.eval();
        return history;
    }

    private void Log(int epoch, double meanLoss, CollapseReport report)
    {
        var o = _options;
        using var channel = _host.Start("train");
        channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
            $"Epoch {epoch}/{o.Epochs}: triplet loss {meanLoss:G6}, active triplets {report.ActiveTripletFraction:P1}, " +
            $"mean pairwise distance {report.MeanPairwiseDistance:G4}."));
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
