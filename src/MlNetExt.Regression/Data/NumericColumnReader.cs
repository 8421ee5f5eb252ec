using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Regression.Data;

/// <summary>
/// Reads a numeric column (scalar or known-size vector of Single, Double, Int32, UInt32, Int64, Byte, or a key)
/// as doubles, whatever its storage type. Keys are read as their raw value (1-based; 0 means missing).
/// </summary>
internal static class NumericColumnReader
{
    /// <summary>Finds a column and checks it is numeric, with an error naming the column and the found type.</summary>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string paramName, bool allowVector, bool allowKey = false)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"{role} column '{name}' was not found. Available columns: {string.Join(", ", schema.Select(c => c.Name))}.", paramName);
        var item = ItemType(column.Type);
        bool isVector = column.Type is VectorDataViewType;
        bool ok = IsNumeric(item) || (allowKey && item is KeyDataViewType);
        if (!ok || (isVector && !allowVector) || (isVector && ((VectorDataViewType)column.Type).Size == 0))
        {
            string expected = (allowVector ? "a numeric scalar or known-size numeric vector" : "a numeric scalar") + (allowKey ? " or key" : "");
            throw new ArgumentException($"{role} column '{name}' must be {expected}; found {column.Type}.", paramName);
        }
        return column;
    }

    /// <summary>The item type of a vector type, or the type itself.</summary>
    public static DataViewType ItemType(DataViewType type) => type is VectorDataViewType v ? v.ItemType : type;

    /// <summary>Width of a column: 1 for scalars, the vector size for vectors.</summary>
    public static int Width(DataViewSchema.Column column) => column.Type is VectorDataViewType v ? v.Size : 1;

    private static bool IsNumeric(DataViewType t) =>
        t == NumberDataViewType.Single || t == NumberDataViewType.Double || t == NumberDataViewType.Int32 ||
        t == NumberDataViewType.UInt32 || t == NumberDataViewType.Int64 || t == NumberDataViewType.Byte ||
        t == NumberDataViewType.Int16 || t == NumberDataViewType.UInt16 || t == NumberDataViewType.UInt64 ||
        t == NumberDataViewType.SByte;

    /// <summary>Returns an action filling <c>destination</c> (length = width) with the current row's values.</summary>
    public static Action<double[]> MakeReader(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type;
        if (type is VectorDataViewType)
        {
            var raw = ItemType(type).RawType;
            if (raw == typeof(float)) return Vector<float>(row, column, v => v);
            if (raw == typeof(double)) return Vector<double>(row, column, v => v);
            if (raw == typeof(int)) return Vector<int>(row, column, v => v);
            if (raw == typeof(uint)) return Vector<uint>(row, column, v => v);
            if (raw == typeof(long)) return Vector<long>(row, column, v => v);
            if (raw == typeof(byte)) return Vector<byte>(row, column, v => v);
            if (raw == typeof(short)) return Vector<short>(row, column, v => v);
            if (raw == typeof(ushort)) return Vector<ushort>(row, column, v => v);
            if (raw == typeof(ulong)) return Vector<ulong>(row, column, v => v);
            if (raw == typeof(sbyte)) return Vector<sbyte>(row, column, v => v);
        }
        else
        {
            var raw = type.RawType;
            if (raw == typeof(float)) return Scalar<float>(row, column, v => v);
            if (raw == typeof(double)) return Scalar<double>(row, column, v => v);
            if (raw == typeof(int)) return Scalar<int>(row, column, v => v);
            if (raw == typeof(uint)) return Scalar<uint>(row, column, v => v);
            if (raw == typeof(long)) return Scalar<long>(row, column, v => v);
            if (raw == typeof(byte)) return Scalar<byte>(row, column, v => v);
            if (raw == typeof(short)) return Scalar<short>(row, column, v => v);
            if (raw == typeof(ushort)) return Scalar<ushort>(row, column, v => v);
            if (raw == typeof(ulong)) return Scalar<ulong>(row, column, v => v);
            if (raw == typeof(sbyte)) return Scalar<sbyte>(row, column, v => v);
        }
        throw new ArgumentException($"Column '{column.Name}' has unsupported type {type}.");
    }

    private static Action<double[]> Scalar<T>(DataViewRow row, DataViewSchema.Column column, Func<T, double> convert)
    {
        var getter = row.GetGetter<T>(column);
        T value = default!;
        return destination =>
        {
            getter(ref value);
            destination[0] = convert(value);
        };
    }

    private static Action<double[]> Vector<T>(DataViewRow row, DataViewSchema.Column column, Func<T, double> convert)
    {
        var getter = row.GetGetter<VBuffer<T>>(column);
        VBuffer<T> buffer = default;
        return destination =>
        {
            getter(ref buffer);
            if (buffer.Length != destination.Length)
                throw new InvalidDataException($"Column '{column.Name}' row {row.Position} has {buffer.Length} values, expected {destination.Length}.");
            Array.Clear(destination);
            if (buffer.IsDense)
            {
                var values = buffer.GetValues();
                for (int i = 0; i < values.Length; i++) destination[i] = convert(values[i]);
            }
            else
            {
                var values = buffer.GetValues();
                var indices = buffer.GetIndices();
                for (int i = 0; i < values.Length; i++) destination[indices[i]] = convert(values[i]);
            }
        };
    }
}
