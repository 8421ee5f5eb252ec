using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation.Data;

/// <summary>
/// Walks the source once; after each source row it stays on that row for its copies. The image getter
/// returns the source image for the original (copy 0) and a freshly augmented image for each copy, drawn
/// from (seed, source row index, copy index) only. Augmented images are not disposed by the cursor
/// (consumers may keep them); they are ordinary managed-owned <see cref="MLImage"/>s.
/// </summary>
internal sealed class AugmentedRowCursor : DataViewRowCursor
{
    private readonly AugmentedDataView _view;
    private readonly DataViewRowCursor _source;
    private readonly HashSet<int> _active;
    private readonly CopyCounter _copies;
    private readonly Func<string>? _label;
    private readonly ValueGetter<MLImage>? _sourceImage;
    private long _position = -1;
    private long _sourceRow = -1;
    private int _copyIndex;
    private int _copyCount;
    private string? _currentLabel;
    private MLImage? _augmented;
    private long _augmentedPosition = -1;

    public AugmentedRowCursor(AugmentedDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        _view = view;
        _active = new HashSet<int>(columnsNeeded.Select(c => c.Index));
        _copies = view.CopyCounterFactory();
        bool needLabel = view.LabelColumn is DataViewSchema.Column lc && (_copies.NeedsLabel || view.PolicyNeedsLabel);
        var sourceColumns = new HashSet<int>(_active);
        if (needLabel) sourceColumns.Add(view.LabelColumn!.Value.Index);
        _source = view.Source.GetRowCursor(view.Source.Schema.Where(c => sourceColumns.Contains(c.Index)));
        if (needLabel) _label = LabelTextReader.Create(_source, view.LabelColumn!.Value);
        if (_active.Contains(view.ImageColumn.Index)) _sourceImage = _source.GetGetter<MLImage>(view.ImageColumn);
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

    public override bool MoveNext()
    {
        if (_position >= 0 && _copyIndex < _copyCount)
        {
            _copyIndex++;
        }
        else
        {
            if (!_source.MoveNext()) return false;
            _sourceRow++;
            _copyIndex = 0;
            _currentLabel = _label?.Invoke();
            _copyCount = _copies.CopiesFor(_currentLabel);
        }
        _position++;
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter()
    {
        var sourceId = _source.GetIdGetter();
        return (ref DataViewRowId value) =>
        {
            sourceId(ref value);
            if (_copyIndex > 0) value = value.Combine(new DataViewRowId((ulong)_copyIndex, 0));
        };
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_active.Contains(column.Index))
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
        if (column.Index != _view.ImageColumn.Index) return _source.GetGetter<TValue>(column);
        if (typeof(TValue) != typeof(MLImage))
            throw new InvalidOperationException($"Column '{column.Name}' holds MLImage values, not {typeof(TValue).Name}.");
        ValueGetter<MLImage> getter = (ref MLImage value) => value = CurrentImage();
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    private MLImage CurrentImage()
    {
        if (_position < 0) throw new InvalidOperationException("The cursor is not on a row; call MoveNext first.");
        MLImage source = default!;
        _sourceImage!(ref source);
        if (source is null || source.Width <= 0 || source.Height <= 0)
            throw new InvalidDataException(
                $"Image column '{_view.ImageColumn.Name}' has an empty (null or zero-size) image at source row {_sourceRow}.");
        if (_copyIndex == 0) return source;
        if (_augmentedPosition == _position) return _augmented!;
        var policy = _currentLabel is null ? _view.Policy.DefaultPolicy : _view.Policy.For(_currentLabel);
        ulong seed = DeterministicRandom.Mix(_view.Seed, (ulong)_sourceRow, (ulong)_copyIndex, 0xDA7A);
        _augmented = ImageAugmenter.Execute(source, policy.Sample(seed, source.Width, source.Height));
        _augmentedPosition = _position;
        return _augmented;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _source.Dispose();
        base.Dispose(disposing);
    }
}
