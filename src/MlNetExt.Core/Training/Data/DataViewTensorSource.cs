using Microsoft.ML;
using MlNetExt.Core.Data;
using TorchSharp;

namespace MlNetExt.Core.Training;

/// <summary>Minibatches of tensors from an <see cref="IDataView"/>. Reads only the named columns. Caches everything as
/// tensors when the data fit in <c>maxInMemoryBytes</c>, else streams through cursors with a shuffle buffer. Bad values
/// throw <see cref="InvalidDataException"/> naming column and 0-based row; schema problems throw <see cref="ArgumentException"/>.
/// Reading checks its cancellation token every <see cref="CancellationCheckRows"/> rows.</summary>
/// <remarks>Not thread-safe: enumerate one batch sequence at a time. Dispose releases the cached tensors at once
/// (otherwise the garbage collector's finalizers do, later).</remarks>
public sealed class DataViewTensorSource : IDisposable
{
    /// <summary>Rows read between two checks of the cancellation token.</summary>
    public const int CancellationCheckRows = 1024;

    private readonly IDataView _data;
    private readonly IReadOnlyList<TensorColumnLayout> _layouts;
    private readonly int _shuffleBufferSize;
    private readonly Dictionary<string, torch.Tensor>? _cache;
    private readonly long _rowCount;
    private readonly long _maxShuffleRows;
    private readonly string? _rowNumberColumn;
    private readonly CancellationToken _cancellation;
    private bool _disposed;

    private DataViewTensorSource(IDataView data, IReadOnlyList<TensorColumnLayout> layouts, int shuffleBufferSize,
        Dictionary<string, torch.Tensor>? cache, long rowCount, long maxShuffleRows, string? rowNumberColumn, CancellationToken cancellation)
    {
        _data = data;
        _rowNumberColumn = rowNumberColumn;
        _layouts = layouts;
        _shuffleBufferSize = shuffleBufferSize;
        _cache = cache;
        _rowCount = rowCount;
        _maxShuffleRows = maxShuffleRows;
        _cancellation = cancellation;
    }

    /// <summary>Checks the columns and either caches the data as tensors or prepares to stream them.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columns">The columns to read.</param>
    /// <param name="maxInMemoryBytes">The largest tensor cache; larger data stream through cursors.</param>
    /// <param name="shuffleBufferSize">Rows in the shuffle buffer when streaming.</param>
    /// <param name="cancellationToken">Stops reading (here, and later when streaming) with an <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">A column is missing or has an unsupported type.</exception>
    /// <exception cref="InvalidDataException">The data have no rows, or (when cached) a value is bad.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static DataViewTensorSource Create(IDataView data, IReadOnlyList<TensorColumnSpec> columns,
        long maxInMemoryBytes = 1L << 30, int shuffleBufferSize = 8192, CancellationToken cancellationToken = default)
        => Create(data, columns, maxInMemoryBytes, shuffleBufferSize, rowNumberColumn: null, cancellationToken);

    /// <summary>As the public <c>Create</c>; messages about bad values give the row number read from
    /// <paramref name="rowNumberColumn"/> (a <see cref="RowNumberedDataView"/> column), so rows of a split are named
    /// by their number in the user's data.</summary>
    internal static DataViewTensorSource Create(IDataView data, IReadOnlyList<TensorColumnSpec> columns,
        long maxInMemoryBytes, int shuffleBufferSize, string? rowNumberColumn, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(maxInMemoryBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(shuffleBufferSize, 1);
        var layouts = TensorColumnLayout.Resolve(data.Schema, columns);
        var bytesPerRow = layouts.Sum(l => l.BytesPerRow);
        var maxRows = Math.Min(maxInMemoryBytes / bytesPerRow, Array.MaxLength / layouts.Max(l => l.Width));

        var knownCount = data.GetRowCount();
        if (knownCount is long count && count > maxRows)
            return new DataViewTensorSource(data, layouts, shuffleBufferSize, null, count, maxRows, rowNumberColumn, cancellationToken);

        // Load into memory; fall back to streaming when the rows do not fit.
        using var cursor = OpenCursor(data, layouts, rowNumberColumn);
        var readers = CreateReaders(cursor, layouts, rowNumberColumn);
        var buffers = new ColumnBuffers(layouts, (int)Math.Min(knownCount ?? 1024, Math.Max(maxRows, 1)));
        var rows = 0;
        while (cursor.MoveNext())
        {
            if (rows % CancellationCheckRows == 0)
                cancellationToken.ThrowIfCancellationRequested();
            if (rows >= maxRows)
            {
                long total = rows + 1;
                while (cursor.MoveNext())
                {
                    if (total++ % CancellationCheckRows == 0)
                        cancellationToken.ThrowIfCancellationRequested();
                }
                return new DataViewTensorSource(data, layouts, shuffleBufferSize, null, total, maxRows, rowNumberColumn, cancellationToken);
            }
            if (rows == buffers.Capacity)
                buffers.Resize((int)Math.Min(Math.Max(2L * rows, 16), maxRows));
            buffers.Read(readers, rows);
            rows++;
        }
        ThrowIfEmpty(rows, layouts);
        if (buffers.Capacity != rows)
            buffers.Resize(rows);
        return new DataViewTensorSource(data, layouts, shuffleBufferSize, buffers.ToTensors(rows, null), rows, maxRows, rowNumberColumn, cancellationToken);
    }

    private static DataViewRowCursor OpenCursor(IDataView data, IReadOnlyList<TensorColumnLayout> layouts, string? rowNumberColumn)
    {
        var columns = layouts.Select(l => l.Column);
        if (rowNumberColumn is not null)
            columns = columns.Append(data.Schema[rowNumberColumn]);
        return data.GetRowCursor(columns.DistinctBy(c => c.Index));
    }

    private static ColumnValueReader[] CreateReaders(DataViewRowCursor cursor, IReadOnlyList<TensorColumnLayout> layouts, string? rowNumberColumn)
    {
        var rowNumber = RowNumbers.Getter(cursor, rowNumberColumn);
        return layouts.Select(l => ColumnValueReader.Create(cursor, l, rowNumber)).ToArray();
    }

    /// <summary>True when the data are cached as tensors; false when they stream through cursors.</summary>
    public bool IsInMemory => _cache is not null;

    /// <summary>The number of rows.</summary>
    public long? RowCount => _rowCount;

    /// <summary>The number of values per row of <paramref name="column"/> (1 for scalars and keys).</summary>
    public int Width(string column) => Layout(column).Width;

    /// <summary>Minibatches covering every row exactly once, in a seeded random order when <paramref name="shuffle"/>
    /// is set. When streaming, rows pass through a shuffle buffer of at most <c>shuffleBufferSize</c> rows and at most
    /// <c>maxInMemoryBytes</c>. The caller disposes each batch.</summary>
    /// <param name="batchSize">Rows per batch; the last batch may be smaller, and a last batch of one row joins the one
    /// before it (layers such as BatchNorm cannot train on a single row).</param>
    /// <param name="shuffle">Whether to shuffle the rows.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="device">Where the tensors go; null is the CPU.</param>
    public IEnumerable<TensorBatch> GetBatches(int batchSize, bool shuffle, int seed, torch.Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _cache is not null
            ? CachedBatches(batchSize, shuffle, seed, device)
            : StreamedBatches(batchSize, shuffle, seed, device);
    }

    /// <summary>Minibatches of the given rows, in the given order (from an <see cref="IBatchSampler"/>); in-memory data
    /// only. The caller disposes each batch.</summary>
    /// <param name="batches">Each batch's 0-based row indices; a row may appear more than once.</param>
    /// <param name="device">Where the tensors go; null is the CPU.</param>
    /// <exception cref="InvalidOperationException">The data stream through cursors (larger than <c>maxInMemoryBytes</c>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside the data.</exception>
    public IEnumerable<TensorBatch> GetBatches(IEnumerable<long[]> batches, torch.Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_cache is null)
            throw new InvalidOperationException(
                $"Sampled batches need the training data in memory; these {_rowCount} rows are larger than MaxInMemoryBytes allows and stream through cursors.");
        return SampledBatches(batches, device);
    }

    private IEnumerable<TensorBatch> SampledBatches(IEnumerable<long[]> batches, torch.Device? device)
    {
        foreach (var rows in batches)
        {
            ArgumentNullException.ThrowIfNull(rows, nameof(batches));
            foreach (var row in rows)
            {
                if (row < 0 || row >= _rowCount)
                    throw new ArgumentOutOfRangeException(nameof(batches), row, $"Row {row} is outside the data's {_rowCount} rows.");
            }
            yield return CachedBatch(0, rows.Length, rows, device);
        }
    }

    /// <summary>The number of batches <see cref="GetBatches(int, bool, int, torch.Device?)"/> yields for <paramref name="batchSize"/>.</summary>
    /// <param name="batchSize">Rows per batch.</param>
    public long BatchCount(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return BatchSizes(batchSize).LongCount();
    }

    /// <summary>The whole data set as one batch, or null when the data stream. The caller disposes it. On the CPU its
    /// tensors share memory with the cache (no copy): do not modify them in place.</summary>
    /// <param name="device">Where the tensors go; null is the CPU.</param>
    public TensorBatch? GetAll(torch.Device? device = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_cache is null)
            return null;
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        using (var scope = torch.NewDisposeScope())
        {
            foreach (var (name, cached) in _cache)
                tensors[name] = cached.detach().to(device ?? torch.CPU).DetachFromDisposeScope();
        }
        return new TensorBatch(tensors, _rowCount);
    }

    /// <summary>Releases the cached tensors; the source cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_cache is not null)
            foreach (var tensor in _cache.Values)
                tensor.Dispose();
    }

    private TensorColumnLayout Layout(string column) =>
        _layouts.FirstOrDefault(l => l.Name == column)
        ?? throw new ArgumentException($"Column '{column}' is not read by this source; it reads {string.Join(", ", _layouts.Select(l => $"'{l.Name}'"))}.", nameof(column));

    private IEnumerable<TensorBatch> CachedBatches(int batchSize, bool shuffle, int seed, torch.Device? device)
    {
        var order = shuffle ? Permutation(_rowCount, seed) : null;
        long start = 0;
        foreach (var count in BatchSizes(batchSize))
        {
            yield return CachedBatch(start, count, order, device);
            start += count;
        }
    }

    private TensorBatch CachedBatch(long start, long count, long[]? order, torch.Device? device)
    {
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        using var scope = torch.NewDisposeScope();
        var index = order is null ? null : torch.tensor(order.AsSpan((int)start, (int)count).ToArray());
        foreach (var (name, cached) in _cache!)
        {
            var rows = index is null ? cached.narrow(0, start, count) : cached.index_select(0, index);
            rows = device is not null && device.type != DeviceType.CPU
                ? rows.to(device)
                : index is null ? rows.clone() : rows;   // never hand out a view of the cache
            tensors[name] = rows.DetachFromDisposeScope();
        }
        return new TensorBatch(tensors, count);
    }

    private IEnumerable<TensorBatch> StreamedBatches(int batchSize, bool shuffle, int seed, torch.Device? device)
    {
        using var cursor = OpenCursor(_data, _layouts, _rowNumberColumn);
        var readers = CreateReaders(cursor, _layouts, _rowNumberColumn);
        using var sizes = BatchSizes(batchSize).GetEnumerator();
        var batch = new ColumnBuffers(_layouts, batchSize + 1);
        var inBatch = 0;
        var target = sizes.MoveNext() ? sizes.Current : int.MaxValue;
        long seen = 0;

        void CheckCancellation()
        {
            if (seen % CancellationCheckRows == 0)
                _cancellation.ThrowIfCancellationRequested();
        }

        // Adds one row (already in the batch buffer at inBatch) and says whether the batch is complete.
        bool Added()
        {
            inBatch++;
            if (inBatch < target)
                return false;
            target = sizes.MoveNext() ? sizes.Current : int.MaxValue;
            return true;
        }

        TensorBatch Take()
        {
            var result = new TensorBatch(batch.ToTensors(inBatch, device), inBatch);
            inBatch = 0;
            return result;
        }

        if (!shuffle)
        {
            while (cursor.MoveNext())
            {
                CheckCancellation();
                seen++;
                batch.Read(readers, inBatch);
                if (Added())
                    yield return Take();
            }
        }
        else
        {
            var random = new Random(seed);
            var pool = new ColumnBuffers(_layouts, (int)Math.Clamp(Math.Min(_shuffleBufferSize, _maxShuffleRows), 1, Math.Max(_rowCount, 1)));
            var filled = 0;
            while (cursor.MoveNext())
            {
                CheckCancellation();
                seen++;
                if (filled < pool.Capacity)
                {
                    pool.Read(readers, filled++);
                    continue;
                }
                // Emit a random pooled row and put the new row in its place.
                var pick = random.Next(filled);
                pool.CopyRow(pick, batch, inBatch);
                pool.Read(readers, pick);
                if (Added())
                    yield return Take();
            }
            foreach (var row in Permutation(filled, random.Next()))
            {
                pool.CopyRow((int)row, batch, inBatch);
                if (Added())
                    yield return Take();
            }
        }
        if (inBatch > 0)
            yield return Take();
        ThrowIfEmpty(seen, _layouts);
    }

    /// <summary>Batch sizes of one epoch: full batches, then the rest; a rest of a single row joins the batch before it,
    /// because layers such as BatchNorm cannot train on one row.</summary>
    private IEnumerable<int> BatchSizes(int batchSize)
    {
        var remaining = _rowCount;
        while (remaining > 0)
        {
            var size = remaining <= batchSize ? remaining : remaining == batchSize + 1L && batchSize > 1 ? batchSize + 1L : batchSize;
            remaining -= size;
            yield return (int)size;
        }
    }

    private static long[] Permutation(long count, int seed)
    {
        var order = new long[count];
        for (long i = 0; i < count; i++)
            order[i] = i;
        var random = new Random(seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static void ThrowIfEmpty(long rows, IReadOnlyList<TensorColumnLayout> layouts)
    {
        if (rows == 0)
            throw new InvalidDataException(
                $"The data have no rows; expected at least one row with columns {string.Join(", ", layouts.Select(l => $"'{l.Name}'"))}.");
    }
}
