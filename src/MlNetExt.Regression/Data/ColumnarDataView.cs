using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Regression.Data;

/// <summary>
/// A read-only, in-memory <see cref="IDataView"/> over column arrays: double scalar columns and float vector
/// columns stored row-major in one flat array. Cursors are independent, so the view is safe to read from many
/// threads at once.
/// </summary>
internal sealed class ColumnarDataView : IDataView
{
    private readonly IReadOnlyList<ColumnData> _columns;
    private readonly long _rowCount;

    /// <summary>One column's values and schema entry.</summary>
    internal abstract class ColumnData
    {
        protected ColumnData(string name) { Name = name; }
        public string Name { get; }
        public abstract DataViewType Type { get; }
        public virtual DataViewSchema.Annotations? Annotations => null;
        public abstract long RowCount { get; }
        public abstract Delegate MakeGetter(Cursor cursor);
    }

    /// <summary>A double scalar column.</summary>
    internal sealed class DoubleColumn : ColumnData
    {
        private readonly double[] _values;
        public DoubleColumn(string name, double[] values) : base(name) { _values = values; }
        public override DataViewType Type => NumberDataViewType.Double;
        public override long RowCount => _values.Length;
        public override Delegate MakeGetter(Cursor cursor)
        {
            ValueGetter<double> getter = (ref double value) => value = _values[cursor.CheckedPosition];
            return getter;
        }
    }

    /// <summary>A float vector column of fixed width, row-major in one array, with optional slot names.</summary>
    internal sealed class FloatVectorColumn : ColumnData
    {
        private readonly float[] _values;
        private readonly int _width;
        private readonly DataViewSchema.Annotations? _annotations;

        public FloatVectorColumn(string name, float[] values, int width, IReadOnlyList<string>? slotNames) : base(name)
        {
            if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"Column '{name}' needs a positive width.");
            if (values.Length % width != 0) throw new ArgumentException($"Column '{name}': {values.Length} values do not fill rows of width {width}.", nameof(values));
            _values = values;
            _width = width;
            Type = new VectorDataViewType(NumberDataViewType.Single, width);
            if (slotNames != null)
            {
                if (slotNames.Count != width) throw new ArgumentException($"Column '{name}': {slotNames.Count} slot names for width {width}.", nameof(slotNames));
                var names = slotNames.Select(s => s.AsMemory()).ToArray();
                var builder = new DataViewSchema.Annotations.Builder();
                builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, width), (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> dst) => dst = new VBuffer<ReadOnlyMemory<char>>(names.Length, (ReadOnlyMemory<char>[])names.Clone())));
                _annotations = builder.ToAnnotations();
            }
        }

        public override DataViewType Type { get; }
        public override DataViewSchema.Annotations? Annotations => _annotations;
        public override long RowCount => _values.Length / _width;
        public override Delegate MakeGetter(Cursor cursor)
        {
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> dst) =>
            {
                long row = cursor.CheckedPosition;
                var editor = VBufferEditor.Create(ref dst, _width);
                _values.AsSpan(checked((int)(row * _width)), _width).CopyTo(editor.Values);
                dst = editor.Commit();
            };
            return getter;
        }
    }

    public ColumnarDataView(IReadOnlyList<ColumnData> columns)
    {
        if (columns.Count == 0) throw new ArgumentException("At least one column is needed.", nameof(columns));
        _rowCount = columns[0].RowCount;
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
        {
            if (column.RowCount != _rowCount) throw new ArgumentException($"Column '{column.Name}' has {column.RowCount} rows, expected {_rowCount}.", nameof(columns));
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }
        _columns = columns;
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;
    public DataViewSchema Schema { get; }
    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => new DataViewRowCursor[] { new Cursor(this, columnsNeeded) };

    /// <summary>Forward-only cursor over the rows.</summary>
    internal sealed class Cursor : DataViewRowCursor
    {
        private readonly ColumnarDataView _view;
        private readonly bool[] _active;
        private readonly Delegate?[] _getters;
        private long _position = -1;

        public Cursor(ColumnarDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            _view = view;
            _active = new bool[view._columns.Count];
            foreach (var c in columnsNeeded) _active[c.Index] = true;
            _getters = new Delegate?[view._columns.Count];
        }

        internal long CheckedPosition => _position >= 0 && _position < _view._rowCount
            ? _position
            : throw new InvalidOperationException("The cursor is not on a row.");

        public override DataViewSchema Schema => _view.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position >= _view._rowCount) return false;
            _position++;
            return _position < _view._rowCount;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId id) => id = new DataViewRowId((ulong)CheckedPosition, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index]) throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
            var getter = _getters[column.Index] ??= _view._columns[column.Index].MakeGetter(this);
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
        }
    }
}
