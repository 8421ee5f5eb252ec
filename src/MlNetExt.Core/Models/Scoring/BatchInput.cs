using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlNetExt.Core.Models.Scoring;

/// <summary>
/// How one ONNX input is read from its column in batches: the column (a scalar or a known-size vector whose item type is
/// the input's element type) and the input's shape without the batch dimension.
/// </summary>
internal abstract class BatchInput
{
    protected BatchInput(string onnxName, DataViewSchema.Column column, long[] rowShape, int rowLength)
    {
        OnnxName = onnxName;
        Column = column;
        RowShape = rowShape;
        RowLength = rowLength;
    }

    /// <summary>The ONNX input's name.</summary>
    public string OnnxName { get; }

    /// <summary>The column it reads (same name).</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>The input's dimensions after the batch dimension.</summary>
    public long[] RowShape { get; }

    /// <summary>Values per row.</summary>
    public int RowLength { get; }

    /// <summary>
    /// The plan for <paramref name="column"/> feeding the input described by <paramref name="metadata"/>, or null when the
    /// pair cannot be batched (the first dimension is not a dynamic batch dimension, a later one is unknown, the sizes
    /// differ, or the element type is not one of float, double, int64, int32).
    /// </summary>
    public static BatchInput? TryCreate(string onnxName, NodeMetadata metadata, DataViewSchema.Column column)
    {
        if (!metadata.IsTensor)
            return null;
        int[] dims = metadata.Dimensions;
        if (dims.Length < 1 || dims[0] != -1 || dims.Skip(1).Any(d => d <= 0))
            return null;
        long[] rowShape = dims.Skip(1).Select(d => (long)d).ToArray();
        long rowLength = rowShape.Aggregate(1L, (a, d) => a * d);
        int columnLength = column.Type switch
        {
            VectorDataViewType { IsKnownSize: true } v => v.Size,
            PrimitiveDataViewType => 1,
            _ => -1,
        };
        if (columnLength != rowLength)
            return null;
        var itemType = column.Type is VectorDataViewType vector ? vector.ItemType : column.Type;
        return metadata.ElementDataType switch
        {
            TensorElementType.Float when itemType == NumberDataViewType.Single => new BatchInput<float>(onnxName, column, rowShape, columnLength),
            TensorElementType.Double when itemType == NumberDataViewType.Double => new BatchInput<double>(onnxName, column, rowShape, columnLength),
            TensorElementType.Int64 when itemType == NumberDataViewType.Int64 => new BatchInput<long>(onnxName, column, rowShape, columnLength),
            TensorElementType.Int32 when itemType == NumberDataViewType.Int32 => new BatchInput<int>(onnxName, column, rowShape, columnLength),
            _ => null,
        };
    }

    /// <summary>A reader of this input for one cursor, with room for <paramref name="batchSize"/> rows.</summary>
    public abstract BatchInputReader CreateReader(DataViewRow cursor, int batchSize);
}

/// <summary>Reads one input's rows into a buffer and wraps the filled part as an ONNX Runtime tensor (no copy).</summary>
internal abstract class BatchInputReader
{
    /// <summary>Copies the cursor's current row to row <paramref name="row"/> of the batch.</summary>
    public abstract void Read(int row);

    /// <summary>The first <paramref name="rows"/> rows as a tensor [rows, ...]; the buffer stays pinned until it is disposed.</summary>
    public abstract OrtValue ToOrtValue(int rows);
}

internal sealed class BatchInput<T> : BatchInput where T : unmanaged
{
    public BatchInput(string onnxName, DataViewSchema.Column column, long[] rowShape, int rowLength)
        : base(onnxName, column, rowShape, rowLength)
    {
    }

    public override BatchInputReader CreateReader(DataViewRow cursor, int batchSize)
        => Column.Type is VectorDataViewType ? new VectorReader(this, cursor, batchSize) : new ScalarReader(this, cursor, batchSize);

    private abstract class Reader : BatchInputReader
    {
        protected Reader(BatchInput<T> input, int batchSize)
        {
            Input = input;
            Buffer = new T[checked(batchSize * input.RowLength)];
        }

        protected BatchInput<T> Input { get; }

        protected T[] Buffer { get; }

        public override OrtValue ToOrtValue(int rows)
        {
            var shape = new long[Input.RowShape.Length + 1];
            shape[0] = rows;
            Input.RowShape.CopyTo(shape, 1);
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Buffer.AsMemory(0, rows * Input.RowLength), shape);
        }
    }

    private sealed class ScalarReader : Reader
    {
        private readonly ValueGetter<T> _getter;

        public ScalarReader(BatchInput<T> input, DataViewRow cursor, int batchSize) : base(input, batchSize)
            => _getter = cursor.GetGetter<T>(input.Column);

        public override void Read(int row) => _getter(ref Buffer[row]);
    }

    private sealed class VectorReader : Reader
    {
        private readonly ValueGetter<VBuffer<T>> _getter;
        private VBuffer<T> _value;

        public VectorReader(BatchInput<T> input, DataViewRow cursor, int batchSize) : base(input, batchSize)
            => _getter = cursor.GetGetter<VBuffer<T>>(input.Column);

        public override void Read(int row)
        {
            _getter(ref _value);
            int length = Input.RowLength;
            if (_value.Length != length)
                throw new InvalidOperationException(
                    $"Column '{Input.Column.Name}' gave a vector of {_value.Length} values; the ONNX model's input '{Input.OnnxName}' takes {length}.");
            var target = Buffer.AsSpan(row * length, length);
            var values = _value.GetValues();
            if (_value.IsDense)
            {
                values.CopyTo(target);
                return;
            }
            target.Clear();
            var indices = _value.GetIndices();
            for (int i = 0; i < indices.Length; i++)
                target[indices[i]] = values[i];
        }
    }
}
