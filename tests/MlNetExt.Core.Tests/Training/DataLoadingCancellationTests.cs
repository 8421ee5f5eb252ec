using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Training;
using Xunit;

namespace MlNetExt.Core.Tests.Training;

/// <summary>Cancellation while training data are read: the token is checked every
/// <see cref="DataViewTensorSource.CancellationCheckRows"/> rows, so latency is counted in rows read, not in data-set size.</summary>
public class DataLoadingCancellationTests
{
    private sealed class Row
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    /// <summary>A lazily generated data view (unknown row count) that counts the rows it produced.</summary>
    private sealed class CountingRows(int count, Action<long>? onRow = null)
    {
        private long _produced;

        public long Produced => Interlocked.Read(ref _produced);

        public IEnumerable<Row> Rows()
        {
            for (int i = 0; i < count; i++)
            {
                long produced = Interlocked.Increment(ref _produced);
                onRow?.Invoke(produced);
                yield return new Row { Features = [i % 7, i % 3], Label = i % 5 };
            }
        }
    }

    private static readonly TensorColumnSpec[] Columns = [new("Features"), new("Label")];

    [Theory]
    [InlineData(0f)]
    [InlineData(0.2f)]
    public void An_already_cancelled_token_throws_before_the_data_are_read(float validationFraction)
    {
        var ml = new MLContext(1);
        var rows = new CountingRows(2_000_000);
        var data = ml.Data.LoadFromEnumerable(rows.Rows());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var options = new NeuralTrainerOptions { CancellationToken = cancelled.Token, ValidationFraction = validationFraction };

        Assert.ThrowsAny<OperationCanceledException>(() => TrainingDataSplit.Create(ml, data, options, Columns, seed: 1));

        Assert.True(rows.Produced <= 1, $"{rows.Produced} rows were read after cancellation");
    }

    [Fact]
    public void Cancelling_while_the_data_are_cached_stops_within_one_check_interval()
    {
        var ml = new MLContext(1);
        using var cancellation = new CancellationTokenSource();
        var rows = new CountingRows(2_000_000, produced => { if (produced == 50_000) cancellation.Cancel(); });
        var options = new NeuralTrainerOptions { CancellationToken = cancellation.Token };

        Assert.ThrowsAny<OperationCanceledException>(() =>
            TrainingDataSplit.Create(ml, ml.Data.LoadFromEnumerable(rows.Rows()), options, Columns, seed: 1));

        Assert.InRange(rows.Produced, 50_000, 50_000 + DataViewTensorSource.CancellationCheckRows + 1);
    }

    [Fact]
    public void Cancelling_while_streamed_data_are_read_stops_within_one_check_interval()
    {
        var ml = new MLContext(1);
        using var cancellation = new CancellationTokenSource();
        long cancelAt = long.MaxValue;
        var rows = new CountingRows(300_000, produced => { if (produced == Volatile.Read(ref cancelAt)) cancellation.Cancel(); });
        // 12 bytes per row and at most 120 kB in memory: the source streams.
        using var source = DataViewTensorSource.Create(ml.Data.LoadFromEnumerable(rows.Rows()), Columns, maxInMemoryBytes: 120_000,
            cancellationToken: cancellation.Token);
        Assert.False(source.IsInMemory);
        long counted = rows.Produced;
        Volatile.Write(ref cancelAt, counted + 100_000);

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in source.GetBatches(64, shuffle: true, seed: 1))
                batch.Dispose();
        });

        Assert.InRange(rows.Produced - counted, 100_000, 100_000 + DataViewTensorSource.CancellationCheckRows + 1);
    }
}
