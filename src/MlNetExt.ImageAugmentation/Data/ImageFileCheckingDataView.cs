using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.ImageAugmentation.Data;

/// <summary>
/// Passes every row of a view through unchanged, except that reading the image-path column first checks the file
/// with <see cref="ImageFileCheck"/>. A <c>LoadImages</c> placed after this view reads the path through that getter,
/// so a file that fails the check is never decoded.
/// </summary>
internal sealed class ImageFileCheckingDataView : IDataView
{
    private readonly IDataView _source;
    private readonly int _pathColumn;
    private readonly string? _imageFolder;
    private readonly ImageFileLimits _limits;

    public ImageFileCheckingDataView(IDataView source, int pathColumn, string? imageFolder, ImageFileLimits limits)
    {
        _source = source;
        _pathColumn = pathColumn;
        _imageFolder = imageFolder;
        _limits = limits;
    }

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, _source.GetRowCursor(columnsNeeded, rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        _source.GetRowCursorSet(columnsNeeded, n, rand).Select(c => (DataViewRowCursor)new Cursor(this, c)).ToArray();

    /// <summary>The full path LoadImages would open for <paramref name="path"/>.</summary>
    private string Resolve(string path) => string.IsNullOrWhiteSpace(_imageFolder) ? path : Path.Combine(_imageFolder, path);

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImageFileCheckingDataView _parent;
        private readonly DataViewRowCursor _source;
        private long _checkedPosition = -1;

        public Cursor(ImageFileCheckingDataView parent, DataViewRowCursor source)
        {
            _parent = parent;
            _source = source;
        }

        public override DataViewSchema Schema => _source.Schema;

        public override long Position => _source.Position;

        public override long Batch => _source.Batch;

        public override bool MoveNext() => _source.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => _source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _source.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var getter = _source.GetGetter<TValue>(column);
            if (column.Index != _parent._pathColumn || getter is not ValueGetter<ReadOnlyMemory<char>> text)
            {
                return getter;
            }

            ValueGetter<ReadOnlyMemory<char>> checkedGetter = (ref ReadOnlyMemory<char> value) =>
            {
                text(ref value);
                if (_checkedPosition != Position && !value.IsEmpty)
                {
                    // LoadImages leaves empty paths as empty images: nothing to check.
                    ImageFileCheck.Check(_parent.Resolve(value.ToString()), _parent._limits);
                    _checkedPosition = Position;
                }
            };
            return (ValueGetter<TValue>)(Delegate)checkedGetter;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _source.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
