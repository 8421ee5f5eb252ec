using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Cli.Data;

/// <summary>The rows of a data view at the given 0-based positions (in the source's order): a run's train, validation or
/// test part of one loaded file.</summary>
internal sealed class RowSubsetDataView : IDataView
{
    private readonly IDataView _source;
    private readonly bool[] _keep;
    private readonly int _count;

    public RowSubsetDataView(IDataView source, IReadOnlyCollection<int> rows, int sourceRows)
    {
        _source = source;
        _keep = new bool[sourceRows];
        foreach (int row in rows)
            _keep[row] = true;
        _count = rows.Count;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_source.GetRowCursor(columnsNeeded), _keep);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor source, bool[] keep) : DataViewRowCursor
    {
        private long _sourcePosition = -1;
        private long _position = -1;

        public override DataViewSchema Schema => source.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => source.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => source.GetGetter<TValue>(column);

        public override bool MoveNext()
        {
            while (source.MoveNext())
            {
                _sourcePosition++;
                if (_sourcePosition < keep.Length && keep[_sourcePosition])
                {
                    _position++;
                    return true;
                }
            }
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                source.Dispose();
            base.Dispose(disposing);
        }
    }
}
