using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Core.Data;

/// <summary>
/// The source data with one more Int64 column, <see cref="ColumnName"/>, holding each row's 0-based position in the
/// source. Added before a split (e.g. ML.NET's TrainTestSplit), it lets messages about a row of a split name the user's
/// own row number rather than the row's position inside the split. Cursors are never shuffled; a cursor set is one cursor.
/// </summary>
internal sealed class RowNumberedDataView : IDataView
{
    /// <summary>The row number column's name.</summary>
    public const string ColumnName = "MlNetExt.SourceRowNumber";

    private readonly IDataView _source;

    /// <summary>Wraps <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">The source already has a column named <see cref="ColumnName"/>.</exception>
    public RowNumberedDataView(IDataView source)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        if (source.Schema.GetColumnOrNull(ColumnName) is not null)
            throw new ArgumentException($"The data already has a column named '{ColumnName}'.", nameof(source));
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(source.Schema);
        builder.AddColumn(ColumnName, NumberDataViewType.Int64);
        Schema = builder.ToSchema();
    }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <inheritdoc />
    public long? GetRowCount() => _source.GetRowCount();

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var sourceColumns = needed.Where(c => c.Index < _source.Schema.Count).Select(c => _source.Schema[c.Index]);
        var cursor = _source.GetRowCursor(sourceColumns);
        return new Cursor(this, cursor, needed.Any(c => c.Index == _source.Schema.Count));
    }

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(RowNumberedDataView view, DataViewRowCursor source, bool rowNumberActive) : DataViewRowCursor
    {
        public override DataViewSchema Schema => view.Schema;

        public override long Position => source.Position;

        public override long Batch => source.Batch;

        public override bool MoveNext() => source.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index == view._source.Schema.Count
            ? rowNumberActive
            : source.IsColumnActive(view._source.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != view._source.Schema.Count)
                return source.GetGetter<TValue>(view._source.Schema[column.Index]);
            if (!rowNumberActive)
                throw new InvalidOperationException($"Column '{ColumnName}' was not requested when the cursor was made.");
            ValueGetter<long> getter = (ref long value) => value = source.Position;
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{ColumnName}' holds Int64 values, not {typeof(TValue).Name}.");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                source.Dispose();
            base.Dispose(disposing);
        }
    }
}
