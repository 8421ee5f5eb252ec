using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Core.Data;

/// <summary>
/// Reads the current row's values of a <see cref="NumericColumn"/> as floats or doubles, whatever the stored type
/// (Boolean: true is 1, false is 0; sparse vectors are expanded). A vector of the wrong size throws
/// <see cref="InvalidDataException"/> naming the column and the user's row. Values are not checked here: callers check
/// what their scenario needs (finite numbers, counts, ...) and report it with <see cref="RowNumber"/>.
/// </summary>
internal abstract class NumericRowReader
{
    private readonly DataViewRow _row;
    private readonly Func<long>? _rowNumber;

    private protected NumericRowReader(DataViewRow row, NumericColumn column, Func<long>? rowNumber)
    {
        _row = row;
        _rowNumber = rowNumber;
        Column = column;
    }

    /// <summary>The column read.</summary>
    public NumericColumn Column { get; }

    /// <summary>The user's 0-based row number of the current row.</summary>
    public long RowNumber => _rowNumber?.Invoke() ?? _row.Position;

    /// <summary>Creates the reader for <paramref name="column"/> on <paramref name="row"/>.</summary>
    public static NumericRowReader Create(DataViewRow row, NumericColumn column, Func<long>? rowNumber)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(column);
        var readerType = column.IsVector
            ? typeof(VectorReader<>).MakeGenericType(column.ItemType.RawType)
            : typeof(ScalarReader<>).MakeGenericType(column.ItemType.RawType);
        return (NumericRowReader)Activator.CreateInstance(readerType, row, column, rowNumber)!;
    }

    /// <summary>Writes the current row's <see cref="NumericColumn.Width"/> values to the start of <paramref name="destination"/>.</summary>
    public abstract void Read(Span<float> destination);

    /// <summary>Writes the current row's <see cref="NumericColumn.Width"/> values to the start of <paramref name="destination"/>.</summary>
    public abstract void Read(Span<double> destination);

    /// <summary>The message for a bad value, naming the column, the user's row and (for vectors) the slot.</summary>
    /// <param name="slot">The 0-based slot.</param>
    /// <param name="problem">What is wrong, e.g. "has a non-finite value".</param>
    /// <param name="detail">What was expected and found.</param>
    public string Describe(int slot, string problem, string detail)
    {
        string slotText = Column.IsVector ? $" (slot {slot})" : "";
        return $"{Column.DisplayName} {problem} at row {RowNumber}{slotText}: {detail}";
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ToDouble<T>(T value)
    {
        if (typeof(T) == typeof(float)) return Unsafe.As<T, float>(ref value);
        if (typeof(T) == typeof(double)) return Unsafe.As<T, double>(ref value);
        if (typeof(T) == typeof(int)) return Unsafe.As<T, int>(ref value);
        if (typeof(T) == typeof(uint)) return Unsafe.As<T, uint>(ref value);
        if (typeof(T) == typeof(long)) return Unsafe.As<T, long>(ref value);
        if (typeof(T) == typeof(ulong)) return Unsafe.As<T, ulong>(ref value);
        if (typeof(T) == typeof(short)) return Unsafe.As<T, short>(ref value);
        if (typeof(T) == typeof(ushort)) return Unsafe.As<T, ushort>(ref value);
        if (typeof(T) == typeof(sbyte)) return Unsafe.As<T, sbyte>(ref value);
        if (typeof(T) == typeof(byte)) return Unsafe.As<T, byte>(ref value);
        if (typeof(T) == typeof(bool)) return Unsafe.As<T, bool>(ref value) ? 1 : 0;
        throw new NotSupportedException($"Values of type {typeof(T).Name} are not numbers.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ToFloat<T>(T value)
    {
        if (typeof(T) == typeof(float)) return Unsafe.As<T, float>(ref value);
        return (float)ToDouble(value);
    }

    private sealed class ScalarReader<T> : NumericRowReader
    {
        private readonly ValueGetter<T> _getter;
        private T _value = default!;

        public ScalarReader(DataViewRow row, NumericColumn column, Func<long>? rowNumber) : base(row, column, rowNumber)
            => _getter = row.GetGetter<T>(column.Column);

        public override void Read(Span<float> destination)
        {
            _getter(ref _value);
            destination[0] = ToFloat(_value);
        }

        public override void Read(Span<double> destination)
        {
            _getter(ref _value);
            destination[0] = ToDouble(_value);
        }
    }

    private sealed class VectorReader<T> : NumericRowReader
    {
        private readonly ValueGetter<VBuffer<T>> _getter;
        private VBuffer<T> _buffer;

        public VectorReader(DataViewRow row, NumericColumn column, Func<long>? rowNumber) : base(row, column, rowNumber)
            => _getter = row.GetGetter<VBuffer<T>>(column.Column);

        public override void Read(Span<float> destination)
        {
            var values = Next(destination.Length);
            if (_buffer.IsDense)
            {
                for (int i = 0; i < values.Length; i++)
                    destination[i] = ToFloat(values[i]);
                return;
            }
            destination[..Column.Width].Clear();
            var indices = _buffer.GetIndices();
            for (int i = 0; i < values.Length; i++)
                destination[indices[i]] = ToFloat(values[i]);
        }

        public override void Read(Span<double> destination)
        {
            var values = Next(destination.Length);
            if (_buffer.IsDense)
            {
                for (int i = 0; i < values.Length; i++)
                    destination[i] = ToDouble(values[i]);
                return;
            }
            destination[..Column.Width].Clear();
            var indices = _buffer.GetIndices();
            for (int i = 0; i < values.Length; i++)
                destination[indices[i]] = ToDouble(values[i]);
        }

        /// <summary>Gets the row's vector, checks its size and returns its stored values.</summary>
        private ReadOnlySpan<T> Next(int destinationLength)
        {
            _getter(ref _buffer);
            int width = Column.Width;
            if (_buffer.Length != width)
                throw new InvalidDataException(
                    $"{Column.DisplayName} has a vector of the wrong size at row {RowNumber}: expected size {width}; found size {_buffer.Length}.");
            if (destinationLength < width)
                throw new ArgumentException($"The destination holds {destinationLength} values; {width} are needed.", "destination");
            return _buffer.GetValues();
        }
    }
}
