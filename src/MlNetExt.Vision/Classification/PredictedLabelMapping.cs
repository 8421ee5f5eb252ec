using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Standard savable transformers turning the ONNX outputs into ML.NET's classification columns: a float class index
/// becomes a key column with exactly the label's key values (MapValue index -> label value, then MapValueToKey with
/// the label's values in key order), so Evaluate and MapKeyToValue work unchanged.
/// </summary>
internal static class PredictedLabelMapping
{
    /// <summary>Maps the scalar float column <paramref name="indexColumn"/> (0-based class index) to a key column
    /// <paramref name="outputColumn"/> whose key values are the key values of <paramref name="label"/> in order.</summary>
    public static ITransformer IndexToKey(MLContext context, string outputColumn, string indexColumn, string valueColumn,
        DataViewSchema.Column label, IDataView input)
    {
        var keyValuesType = label.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type as VectorDataViewType
            ?? throw new ArgumentException($"Label column '{label.Name}' is a key without key values; map it with MapValueToKey.", nameof(label));
        var method = typeof(PredictedLabelMapping).GetMethod(nameof(IndexToKeyOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(keyValuesType.ItemType.RawType);
        return (ITransformer)method.Invoke(null, [context, outputColumn, indexColumn, valueColumn, label, input])!;
    }

    private static ITransformer IndexToKeyOf<T>(MLContext context, string outputColumn, string indexColumn, string valueColumn,
        DataViewSchema.Column label, IDataView input)
    {
        VBuffer<T> values = default;
        label.GetKeyValues(ref values);
        var keys = values.DenseValues().ToArray();
        var lookup = context.Data.LoadFromEnumerable(keys.Select((v, i) => new IndexValue<T> { Index = i, Value = v }).ToList());
        var keyData = context.Data.LoadFromEnumerable(keys.Select(v => new KeyValue<T> { Value = v }).ToList());
        var estimator = context.Transforms.Conversion.MapValue(valueColumn, lookup, lookup.Schema[nameof(IndexValue<T>.Index)],
                lookup.Schema[nameof(IndexValue<T>.Value)], indexColumn)
            .Append(context.Transforms.Conversion.MapValueToKey(outputColumn, valueColumn, keyData: keyData));
        return estimator.Fit(input);
    }

    private sealed class IndexValue<T>
    {
        public float Index { get; set; }

        public T Value { get; set; } = default!;
    }

    private sealed class KeyValue<T>
    {
        public T Value { get; set; } = default!;
    }
}
