using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlNetExt.Core.Models.Scoring;

/// <summary>
/// One ONNX output served as the column ML.NET's ONNX transformer gives it (same name, type and annotations): each row's
/// values are its slice of the batch's output tensor.
/// </summary>
internal abstract class BatchOutput
{
    protected BatchOutput(string onnxName, DataViewSchema.Column column)
    {
        OnnxName = onnxName;
        Column = column;
    }

    /// <summary>The ONNX output's name (the column's name).</summary>
    public string OnnxName { get; }

    /// <summary>The column in the output schema.</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>The plan for <paramref name="column"/>, or null when its type is not a float, double, int64, int32 or
    /// Boolean vector (or scalar) matching the output's element type.</summary>
    public static BatchOutput? TryCreate(string onnxName, NodeMetadata metadata, DataViewSchema.Column column)
    {
        if (!metadata.IsTensor)
            return null;
        var itemType = column.Type is VectorDataViewType vector ? vector.ItemType : column.Type;
        return metadata.ElementDataType switch
        {
            TensorElementType.Float when itemType == NumberDataViewType.Single => new BatchOutput<float>(onnxName, column),
            TensorElementType.Double when itemType == NumberDataViewType.Double => new BatchOutput<double>(onnxName, column),
            TensorElementType.Int64 when itemType == NumberDataViewType.Int64 => new BatchOutput<long>(onnxName, column),
            TensorElementType.Int32 when itemType == NumberDataViewType.Int32 => new BatchOutput<int>(onnxName, column),
            TensorElementType.Bool when itemType == BooleanDataViewType.Instance => new BatchOutput<bool>(onnxName, column),
            _ => null,
        };
    }

    /// <summary>A reader serving this output for one cursor.</summary>
    public abstract BatchOutputReader CreateReader(BatchedOnnxCursor cursor);
}

/// <summary>Serves one output's values for the cursor's current row from the batch's result tensor.</summary>
internal abstract class BatchOutputReader
{
    /// <summary>Takes the values of the batch's result for <paramref name="rows"/> rows (the result may be disposed afterwards).</summary>
    public abstract void SetBatch(OrtValue result, int rows);

    /// <summary>The column's getter.</summary>
    public abstract Delegate Getter { get; }
}

internal sealed class BatchOutput<T> : BatchOutput where T : unmanaged
{
    public BatchOutput(string onnxName, DataViewSchema.Column column) : base(onnxName, column)
    {
    }

    public override BatchOutputReader CreateReader(BatchedOnnxCursor cursor) => new Reader(this, cursor);

    private sealed class Reader : BatchOutputReader
    {
        private readonly BatchOutput<T> _output;
        private readonly BatchedOnnxCursor _cursor;
        private readonly int _expectedLength;
        // The batch's values, copied out of the result once per batch: reading the native tensor per row costs more than
        // the copy (each access asks ONNX Runtime for the tensor's type and shape).
        private T[] _values = [];
        private bool _hasBatch;
        private int _rowLength;

        public Reader(BatchOutput<T> output, BatchedOnnxCursor cursor)
        {
            _output = output;
            _cursor = cursor;
            _expectedLength = output.Column.Type is VectorDataViewType { IsKnownSize: true } v ? v.Size : output.Column.Type is VectorDataViewType ? -1 : 1;
            Getter = output.Column.Type is VectorDataViewType ? new ValueGetter<VBuffer<T>>(GetVector) : new ValueGetter<T>(GetScalar);
        }

        public override Delegate Getter { get; }

        public override void SetBatch(OrtValue result, int rows)
        {
            long count = result.GetTensorTypeAndShape().ElementCount;
            if (count % rows != 0)
                throw new InvalidOperationException($"The ONNX model's output '{_output.OnnxName}' has {count} values for {rows} rows.");
            int length = checked((int)(count / rows));
            if (_expectedLength >= 0 && length != _expectedLength)
                throw new InvalidOperationException(
                    $"The ONNX model's output '{_output.OnnxName}' has {length} values per row; column '{_output.Column.Name}' holds {_expectedLength}.");
            var data = result.GetTensorDataAsSpan<T>();
            if (_values.Length < data.Length)
                _values = new T[data.Length];
            data.CopyTo(_values);
            _rowLength = length;
            _hasBatch = true;
        }

        private ReadOnlySpan<T> Row()
        {
            if (!_hasBatch || _cursor.RowInBatch < 0)
                throw new InvalidOperationException("The cursor is not on a row.");
            return _values.AsSpan(_cursor.RowInBatch * _rowLength, _rowLength);
        }

        private void GetVector(ref VBuffer<T> value)
        {
            var row = Row();
            var editor = VBufferEditor.Create(ref value, row.Length);
            row.CopyTo(editor.Values);
            value = editor.Commit();
        }

        private void GetScalar(ref T value) => value = Row()[0];
    }
}
