using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.ImageAugmentation.Tests.Data;

/// <summary>Wraps a data view and counts what is read from it, to check laziness.</summary>
internal sealed class CountingDataView(IDataView inner, string imageColumn) : IDataView
{
    public int CursorsOpened;
    public int RowsRead;
    public int ImagesRead;

    public bool CanShuffle => false;
    public DataViewSchema Schema => inner.Schema;
    public long? GetRowCount() => inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        CursorsOpened++;
        return new Cursor(this, inner.GetRowCursor(columnsNeeded));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded) };

    private sealed class Cursor(CountingDataView owner, DataViewRowCursor inner) : DataViewRowCursor
    {
        public override DataViewSchema Schema => inner.Schema;
        public override long Position => inner.Position;
        public override long Batch => inner.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        public override bool MoveNext()
        {
            bool moved = inner.MoveNext();
            if (moved) owner.RowsRead++;
            return moved;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var getter = inner.GetGetter<TValue>(column);
            if (column.Name != owner._imageColumn) return getter;
            return (ref TValue value) => { owner.ImagesRead++; getter(ref value); };
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private readonly string _imageColumn = imageColumn;
}
