using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.ImageAugmentation.Data;

/// <summary>Reads a label column's value as text, so class overrides can be keyed by label value.</summary>
internal static class LabelTextReader
{
    /// <summary>Checks the label column: text, key, boolean or a numeric scalar.</summary>
    public static DataViewSchema.Column CheckColumn(DataViewSchema schema, string labelColumnName, string parameterName)
    {
        var column = schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentOutOfRangeException(parameterName, labelColumnName,
                $"Label column '{labelColumnName}' not found; the data has columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        var type = column.Type;
        if (type is TextDataViewType || type is KeyDataViewType || type is BooleanDataViewType
            || type == NumberDataViewType.Single || type == NumberDataViewType.Double
            || type == NumberDataViewType.Int32 || type == NumberDataViewType.Int64
            || type == NumberDataViewType.UInt32 || type == NumberDataViewType.UInt64)
            return column;
        throw new ArgumentException(
            $"Label column '{labelColumnName}' must be a text, key, boolean or numeric scalar column; found {type}.", parameterName);
    }

    /// <summary>A function returning the current row's label as text (key labels: their key value if the
    /// column has key values, else the 1-based key; missing keys give "").</summary>
    public static Func<string> Create(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type;
        if (type is TextDataViewType)
        {
            var g = row.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> v = default;
            return () => { g(ref v); return v.ToString(); };
        }
        if (type is KeyDataViewType key)
        {
            string[]? names = null;
            if (column.HasKeyValues())
            {
                VBuffer<ReadOnlyMemory<char>> kv = default;
                column.GetKeyValues(ref kv);
                names = kv.DenseValues().Select(m => m.ToString()).ToArray();
            }
            Func<ulong> raw = key.RawType == typeof(uint) ? Getter<uint>(row, column, x => x)
                : key.RawType == typeof(ushort) ? Getter<ushort>(row, column, x => x)
                : key.RawType == typeof(byte) ? Getter<byte>(row, column, x => x)
                : Getter<ulong>(row, column, x => x);
            return () =>
            {
                ulong k = raw();
                if (k == 0) return "";
                return names is not null && k <= (ulong)names.Length ? names[k - 1] : k.ToString(CultureInfo.InvariantCulture);
            };
        }
        if (type is BooleanDataViewType)
        {
            var g = row.GetGetter<bool>(column);
            bool v = false;
            return () => { g(ref v); return v ? "True" : "False"; };
        }
        if (type == NumberDataViewType.Single) return Text<float>(row, column);
        if (type == NumberDataViewType.Double) return Text<double>(row, column);
        if (type == NumberDataViewType.Int32) return Text<int>(row, column);
        if (type == NumberDataViewType.Int64) return Text<long>(row, column);
        if (type == NumberDataViewType.UInt32) return Text<uint>(row, column);
        return Text<ulong>(row, column);
    }

    private static Func<ulong> Getter<T>(DataViewRow row, DataViewSchema.Column column, Func<T, ulong> convert)
    {
        var g = row.GetGetter<T>(column);
        T v = default!;
        return () => { g(ref v); return convert(v); };
    }

    private static Func<string> Text<T>(DataViewRow row, DataViewSchema.Column column) where T : IFormattable
    {
        var g = row.GetGetter<T>(column);
        T v = default!;
        return () => { g(ref v); return v.ToString(null, CultureInfo.InvariantCulture); };
    }
}
