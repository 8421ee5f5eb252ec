using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Embeddings.Tests;

/// <summary>Builds small IDataViews of float vectors with labels for tests.</summary>
internal static class EmbeddingData
{
    public sealed class LabelledRow
    {
        public float[] Embedding { get; set; } = Array.Empty<float>();
        public string Label { get; set; } = "";
    }

    public sealed class TwoViewRow
    {
        public float[] ViewA { get; set; } = Array.Empty<float>();
        public float[] ViewB { get; set; } = Array.Empty<float>();
    }

    public static IDataView Labelled(MLContext ml, float[][] embeddings, string[] labels)
    {
        var schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, embeddings[0].Length);
        return ml.Data.LoadFromEnumerable(embeddings.Select((e, i) => new LabelledRow { Embedding = e, Label = labels[i] }).ToList(), schema);
    }

    public static IDataView TwoViews(MLContext ml, float[][] a, float[][] b)
    {
        var schema = SchemaDefinition.Create(typeof(TwoViewRow));
        schema[nameof(TwoViewRow.ViewA)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, a[0].Length);
        schema[nameof(TwoViewRow.ViewB)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, b[0].Length);
        return ml.Data.LoadFromEnumerable(a.Select((x, i) => new TwoViewRow { ViewA = x, ViewB = b[i] }).ToList(), schema);
    }

    public static float[][] Column(IDataView data, string column)
    {
        return data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();
    }
}
