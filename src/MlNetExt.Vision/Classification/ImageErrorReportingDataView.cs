using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// The scored data of an <see cref="ImageClassifierModel"/>: passes everything through, but when reading a row fails
/// because an image of the input cannot be read, throws <see cref="ImageReadFailure"/>'s error (image column, row, file
/// and root cause) instead of ML.NET's "Splitter/consolidator worker encountered exception". Other errors pass unchanged.
/// </summary>
internal sealed class ImageErrorReportingDataView : IDataView
{
    private readonly IDataView _scored;
    private readonly IDataView _input;
    private readonly string _imageColumn;
    private readonly object _lock = new();
    private bool _described;
    private string? _failingRow;

    public ImageErrorReportingDataView(IDataView scored, IDataView input, string imageColumn)
    {
        _scored = scored;
        _input = input;
        _imageColumn = imageColumn;
    }

    public bool CanShuffle => _scored.CanShuffle;

    public DataViewSchema Schema => _scored.Schema;

    public long? GetRowCount() => _scored.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, _scored.GetRowCursor(columnsNeeded, rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        _scored.GetRowCursorSet(columnsNeeded, n, rand).Select(c => (DataViewRowCursor)new Cursor(this, c)).ToArray();

    /// <summary>Rethrows <paramref name="error"/>, as an image read error when an input image cannot be read.</summary>
    private Exception Rethrow(Exception error)
    {
        if (error is OperationCanceledException)
            ExceptionDispatchInfo.Throw(error);
        string? row;
        lock (_lock)
        {
            // Every cursor of a parallel set fails with the same cause: scan the input once.
            if (!_described)
            {
                _failingRow = ImageReadFailure.FirstUnreadableRow(_input, _imageColumn);
                _described = true;
            }
            row = _failingRow;
        }
        if (row is null)
            ExceptionDispatchInfo.Throw(error);
        throw new InvalidDataException(
            $"Could not read the images of column '{_imageColumn}' at {row} while scoring (a missing, empty or corrupt image file?): " +
            ImageReadFailure.RootCause(error).Message, error);
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImageErrorReportingDataView _parent;
        private readonly DataViewRowCursor _inner;

        public Cursor(ImageErrorReportingDataView parent, DataViewRowCursor inner)
        {
            _parent = parent;
            _inner = inner;
        }

        public override DataViewSchema Schema => _inner.Schema;

        public override long Position => _inner.Position;

        public override long Batch => _inner.Batch;

        public override bool MoveNext()
        {
            try
            {
                return _inner.MoveNext();
            }
            catch (Exception e)
            {
                throw _parent.Rethrow(e);
            }
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var getter = _inner.GetGetter<TValue>(column);
            return (ref TValue value) =>
            {
                try
                {
                    getter(ref value);
                }
                catch (Exception e)
                {
                    throw _parent.Rethrow(e);
                }
            };
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
