using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Core.Pipelines;

/// <summary>
/// An <see cref="IDataView"/> with a schema and no rows: what a schema-only <c>Fit</c> of a trivial
/// estimator (ApplyOnnxModel, CopyColumns) needs.
/// </summary>
internal sealed class SchemaOnlyDataView : IDataView
{
    public SchemaOnlyDataView(DataViewSchema schema) => Schema = schema ?? throw new ArgumentNullException(nameof(schema));

    public bool CanShuffle => true;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => 0;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new EmptyCursor(Schema, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [new EmptyCursor(Schema, columnsNeeded)];

    private sealed class EmptyCursor : DataViewRowCursor
    {
        private readonly HashSet<int> _active;
        private bool _finished;

        public EmptyCursor(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            Schema = schema;
            _active = columnsNeeded.Select(c => c.Index).ToHashSet();
        }

        public override DataViewSchema Schema { get; }

        public override long Position => -1;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            => (ref TValue value) => throw new InvalidOperationException("An empty data view has no rows to read.");

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId value) => throw new InvalidOperationException("An empty data view has no rows to read.");

        public override bool MoveNext()
        {
            _finished = true;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            _finished = true;
            base.Dispose(disposing);
        }

        public override string ToString() => _finished ? "EmptyCursor(done)" : "EmptyCursor";
    }
}
