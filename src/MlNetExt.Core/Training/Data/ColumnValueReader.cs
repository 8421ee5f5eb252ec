using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Core.Training;

/// <summary>Reads one column of the cursor's current row into floats or a 0-based key index, checking every value.</summary>
internal abstract class ColumnValueReader
{
    protected ColumnValueReader(DataViewRowCursor cursor, TensorColumnLayout layout)
    {
        Cursor = cursor;
        Layout = layout;
    }

    protected DataViewRowCursor Cursor { get; }
    protected TensorColumnLayout Layout { get; }

    /// <summary>Creates the reader for <paramref name="layout"/>'s column on <paramref name="cursor"/>.</summary>
    public static ColumnValueReader Create(DataViewRowCursor cursor, TensorColumnLayout layout)
    {
        var type = layout.Column.Type;
        Type readerType;
        if (layout.IsKey)
            readerType = typeof(KeyReader<>).MakeGenericType(type.RawType);
        else if (type is VectorDataViewType vector)
            readerType = typeof(VectorReader<>).MakeGenericType(vector.ItemType.RawType);
        else
            readerType = typeof(ScalarReader<>).MakeGenericType(type.RawType);
        return (ColumnValueReader)Activator.CreateInstance(readerType, cursor, layout)!;
    }

    /// <summary>Writes the current row's <see cref="TensorColumnLayout.Width"/> values to <paramref name="destination"/>.</summary>
    public virtual void ReadFloats(Span<float> destination) => throw new InvalidOperationException("Not a float column.");

    /// <summary>The current row's 0-based key index.</summary>
    public virtual long ReadKeyIndex() => throw new InvalidOperationException("Not a key column.");

    protected void Check(float value, int slot)
    {
        var spec = Layout.Spec;
        if (spec.RejectNonFinite && !float.IsFinite(value))
            throw new InvalidDataException(
                $"Column '{Layout.Name}' has a non-finite value at row {Cursor.Position}{SlotText(slot)}: expected finite numbers; found {Format(value)}.");
        if (spec.Validate?.Invoke(value) is string problem)
            throw new InvalidDataException(
                $"Column '{Layout.Name}' has an invalid value at row {Cursor.Position}{SlotText(slot)}: found {Format(value)}, which {problem}.");
    }

    private string SlotText(int slot) => Layout.Width > 1 || Layout.IsVariableSize ? $" (slot {slot})" : "";

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static float ToFloat<T>(T value)
    {
        if (typeof(T) == typeof(float)) return Unsafe.As<T, float>(ref value);
        if (typeof(T) == typeof(double)) return (float)Unsafe.As<T, double>(ref value);
        if (typeof(T) == typeof(int)) return Unsafe.As<T, int>(ref value);
        if (typeof(T) == typeof(uint)) return Unsafe.As<T, uint>(ref value);
        if (typeof(T) == typeof(long)) return Unsafe.As<T, long>(ref value);
        if (typeof(T) == typeof(ulong)) return Unsafe.As<T, ulong>(ref value);
        if (typeof(T) == typeof(short)) return Unsafe.As<T, short>(ref value);
        if (typeof(T) == typeof(ushort)) return Unsafe.As<T, ushort>(ref value);
        if (typeof(T) == typeof(sbyte)) return Unsafe.As<T, sbyte>(ref value);
        if (typeof(T) == typeof(byte)) return Unsafe.As<T, byte>(ref value);
        if (typeof(T) == typeof(bool)) return Unsafe.As<T, bool>(ref value) ? 1f : 0f;
        throw new NotSupportedException($"Values of type {typeof(T).Name} cannot become floats.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ToUInt64<T>(T value)
    {
        if (typeof(T) == typeof(uint)) return Unsafe.As<T, uint>(ref value);
        if (typeof(T) == typeof(ulong)) return Unsafe.As<T, ulong>(ref value);
        if (typeof(T) == typeof(ushort)) return Unsafe.As<T, ushort>(ref value);
        if (typeof(T) == typeof(byte)) return Unsafe.As<T, byte>(ref value);
        throw new NotSupportedException($"Key values of type {typeof(T).Name} are not supported.");
    }

    private sealed class ScalarReader<T> : ColumnValueReader
    {
        private readonly ValueGetter<T> _getter;
        private T _value = default!;

        public ScalarReader(DataViewRowCursor cursor, TensorColumnLayout layout) : base(cursor, layout)
            => _getter = cursor.GetGetter<T>(layout.Column);

        public override void ReadFloats(Span<float> destination)
        {
            _getter(ref _value);
            var value = ToFloat(_value);
            Check(value, 0);
            destination[0] = value;
        }
    }

    private sealed class VectorReader<T> : ColumnValueReader
    {
        private readonly ValueGetter<VBuffer<T>> _getter;
        private VBuffer<T> _buffer;

        public VectorReader(DataViewRowCursor cursor, TensorColumnLayout layout) : base(cursor, layout)
            => _getter = cursor.GetGetter<VBuffer<T>>(layout.Column);

        public override void ReadFloats(Span<float> destination)
        {
            _getter(ref _buffer);
            if (_buffer.Length != Layout.Width)
                throw new InvalidDataException(
                    $"Column '{Layout.Name}' has a vector of the wrong size at row {Cursor.Position}: expected size {Layout.Width}; found size {_buffer.Length}.");
            var values = _buffer.GetValues();
            if (_buffer.IsDense)
            {
                for (var i = 0; i < values.Length; i++)
                    destination[i] = ToFloat(values[i]);
            }
            else
            {
                destination[..Layout.Width].Clear();
                var indices = _buffer.GetIndices();
                for (var i = 0; i < values.Length; i++)
                    destination[indices[i]] = ToFloat(values[i]);
            }
            if (Layout.Spec.RejectNonFinite || Layout.Spec.Validate is not null)
                for (var i = 0; i < Layout.Width; i++)
                    Check(destination[i], i);
        }
    }

    private sealed class KeyReader<T> : ColumnValueReader
    {
        private readonly ValueGetter<T> _getter;
        private T _value = default!;

        public KeyReader(DataViewRowCursor cursor, TensorColumnLayout layout) : base(cursor, layout)
            => _getter = cursor.GetGetter<T>(layout.Column);

        public override long ReadKeyIndex()
        {
            _getter(ref _value);
            var key = ToUInt64(_value);
            if (key == 0)
                throw new InvalidDataException(
                    $"Column '{Layout.Name}' has a missing key value at row {Cursor.Position}: expected a key in 1..{Layout.KeyCount}; found 0 (missing). "
                    + "Remove or fix rows whose label is not among the key values.");
            if (key > Layout.KeyCount)
                throw new InvalidDataException(
                    $"Column '{Layout.Name}' has an out-of-range key value at row {Cursor.Position}: expected a key in 1..{Layout.KeyCount}; found {key}.");
            return (long)(key - 1);
        }
    }
}
