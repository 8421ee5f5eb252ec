using System.Globalization;
using Microsoft.ML;
using MlNetExt.Core.Data;

namespace MlNetExt.Core.Training;

/// <summary>Reads one column of the cursor's current row into floats or a 0-based key index, checking every value.
/// Messages name the column and the user's 0-based row number.</summary>
internal abstract class ColumnValueReader
{
    private ColumnValueReader(TensorColumnLayout layout, Func<long> rowNumber)
    {
        Layout = layout;
        RowNumber = rowNumber;
    }

    protected TensorColumnLayout Layout { get; }

    /// <summary>The user's 0-based row number of the current row.</summary>
    protected Func<long> RowNumber { get; }

    /// <summary>Creates the reader for <paramref name="layout"/>'s column on <paramref name="cursor"/>.</summary>
    /// <param name="cursor">The cursor.</param>
    /// <param name="layout">The column.</param>
    /// <param name="rowNumber">The user's row number of the current row; null: the cursor's position.</param>
    public static ColumnValueReader Create(DataViewRowCursor cursor, TensorColumnLayout layout, Func<long>? rowNumber = null)
    {
        rowNumber ??= () => cursor.Position;
        if (layout.IsKey)
            return (ColumnValueReader)Activator.CreateInstance(
                typeof(KeyReader<>).MakeGenericType(layout.Column.Type.RawType), cursor, layout, rowNumber)!;
        return new FloatReader(cursor, layout, rowNumber);
    }

    /// <summary>Writes the current row's <see cref="TensorColumnLayout.Width"/> values to <paramref name="destination"/>.</summary>
    public virtual void ReadFloats(Span<float> destination) => throw new InvalidOperationException("Not a float column.");

    /// <summary>The current row's 0-based key index.</summary>
    public virtual long ReadKeyIndex() => throw new InvalidOperationException("Not a key column.");

    private sealed class FloatReader : ColumnValueReader
    {
        private readonly NumericRowReader _reader;

        public FloatReader(DataViewRowCursor cursor, TensorColumnLayout layout, Func<long> rowNumber) : base(layout, rowNumber)
            => _reader = layout.Numeric!.CreateReader(cursor, rowNumber);

        public override void ReadFloats(Span<float> destination)
        {
            var values = destination[..Layout.Width];
            _reader.Read(values);
            var spec = Layout.Spec;
            if (!spec.RejectNonFinite && spec.Validate is null)
                return;
            for (int i = 0; i < values.Length; i++)
            {
                float value = values[i];
                if (spec.RejectNonFinite && !float.IsFinite(value))
                    throw new InvalidDataException(_reader.Describe(i, "has a non-finite value", $"expected finite numbers; found {Format(value)}."));
                if (spec.Validate?.Invoke(value) is string problem)
                    throw new InvalidDataException(_reader.Describe(i, "has an invalid value", $"found {Format(value)}, which {problem}."));
            }
        }

        private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
    }

    private sealed class KeyReader<T> : ColumnValueReader
    {
        private readonly ValueGetter<T> _getter;
        private T _value = default!;

        public KeyReader(DataViewRowCursor cursor, TensorColumnLayout layout, Func<long> rowNumber) : base(layout, rowNumber)
            => _getter = cursor.GetGetter<T>(layout.Column);

        public override long ReadKeyIndex()
        {
            _getter(ref _value);
            var key = ToUInt64(_value);
            if (key == 0)
                throw new InvalidDataException(
                    $"Column '{Layout.Name}' has a missing key value at row {RowNumber()}: expected a key in 1..{Layout.KeyCount}; found 0 (missing). "
                    + "Remove or fix rows whose label is not among the key values.");
            if (key > Layout.KeyCount)
                throw new InvalidDataException(
                    $"Column '{Layout.Name}' has an out-of-range key value at row {RowNumber()}: expected a key in 1..{Layout.KeyCount}; found {key}.");
            return (long)(key - 1);
        }

        private static ulong ToUInt64(T value) => value switch
        {
            uint v => v,
            ulong v => v,
            ushort v => v,
            byte v => v,
            _ => throw new NotSupportedException($"Key values of type {typeof(T).Name} are not supported."),
        };
    }
}
