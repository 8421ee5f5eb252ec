using Microsoft.ML;
using MlNetExt.Core.Training;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Class-balanced resampling on top of Core's training loop: the loop iterates a source of "tickets" (the positions
/// 0..N-1, shuffled and batched as usual, so epoch length and batch sizes do not change) and <see cref="Resolve"/> turns
/// each ticket batch into the rows <see cref="BalancedEpochSampler"/> drew for the epoch in progress, gathered from the
/// in-memory training tensors (pixels or cached features). Validation batches pass through unchanged.
/// </summary>
internal sealed class ResampledTrainingData : IDisposable
{
    private const string TicketColumn = "ImageClassifier.Ticket";

    private readonly TensorBatch _all;
    private readonly BalancedEpochSampler _sampler;
    private readonly EpochCounter _epochs;

    private ResampledTrainingData(TensorBatch all, BalancedEpochSampler sampler, EpochCounter epochs, DataViewTensorSource tickets)
    {
        _all = all;
        _sampler = sampler;
        _epochs = epochs;
        Tickets = tickets;
    }

    /// <summary>What the training loop iterates instead of the training data.</summary>
    public DataViewTensorSource Tickets { get; }

    /// <summary>The sampler (exposed for tests and logs).</summary>
    public BalancedEpochSampler Sampler => _sampler;

    /// <summary>Builds the resampled view of <paramref name="train"/>, which must be in memory.</summary>
    public static ResampledTrainingData Create(MLContext context, DataViewTensorSource train, Func<TensorBatch, Tensor> classesOf,
        int classCount, int seed, EpochCounter epochs)
    {
        var all = train.GetAll()
            ?? throw new InvalidOperationException(
                "ClassBalancing.Resampling needs the training data in memory; it is larger than MaxInMemoryBytes. Raise MaxInMemoryBytes " +
                "or use ClassBalancing.LossWeights.");
        try
        {
            long[] classes;
            using (NewDisposeScope())
                classes = classesOf(all).cpu().data<long>().ToArray();
            var sampler = new BalancedEpochSampler(classes, classCount, seed);
            var rows = Enumerable.Range(0, classes.Length).Select(i => new TicketRow { Ticket = i }).ToList();
            var tickets = DataViewTensorSource.Create(context.Data.LoadFromEnumerable(rows), [new TensorColumnSpec(TicketColumn)]);
            return new ResampledTrainingData(all, sampler, epochs, tickets);
        }
        catch
        {
            all.Dispose();
            throw;
        }
    }

    /// <summary>A ticket batch becomes the drawn rows of the epoch in progress (on <paramref name="device"/>); any other
    /// batch (validation) is returned as it is. Call inside the loop's dispose scope.</summary>
    public TensorBatch Resolve(TensorBatch batch, Device device)
    {
        if (!batch.Columns.Contains(TicketColumn))
            return batch;
        var drawn = _sampler.Draw(_epochs.Current);
        var positions = batch[TicketColumn].reshape(-1).cpu().data<float>().ToArray();
        var index = tensor(positions.Select(p => (long)drawn[(int)p]).ToArray());
        var tensors = _all.Columns.ToDictionary(c => c, c => _all[c].index_select(0, index).to(device), StringComparer.Ordinal);
        return new TensorBatch(tensors, positions.Length);
    }

    public void Dispose()
    {
        Tickets.Dispose();
        _all.Dispose();
    }

    private sealed class TicketRow
    {
        [Microsoft.ML.Data.ColumnName(TicketColumn)]
        public float Ticket { get; set; }
    }
}
