using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Regression.Data;

/// <summary>A data view with a given schema and no rows: what fitting a schema-only transformer needs.</summary>
internal sealed class EmptyDataView : IDataView
{
    public EmptyDataView(DataViewSchema schema) { Schema = schema; }

    public bool CanShuffle => false;
    public DataViewSchema Schema { get; }
    public long? GetRowCount() => 0;
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new NoRows(Schema);
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => new DataViewRowCursor[] { new NoRows(Schema) };

    private sealed class NoRows(DataViewSchema schema) : DataViewRowCursor
    {
        public override DataViewSchema Schema => schema;
        public override long Position => -1;
        public override long Batch => 0;
        public override bool IsColumnActive(DataViewSchema.Column column) => true;
        public override bool MoveNext() => false;
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => (ref TValue value) => throw new InvalidOperationException("No rows.");
        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => throw new InvalidOperationException("No rows.");
    }
}
