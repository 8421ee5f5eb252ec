using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Samples.Data;

namespace EmbeddingFaces;

/// <summary>One 28x28 gray image as raw pixels (C x H x W = 1 x 28 x 28, values 0..255) with its identity or class label.</summary>
public sealed class PixelRow
{
    public float[] Pixels { get; set; } = Array.Empty<float>();
    public string Label { get; set; } = "";

    public static PixelRow From(byte[] gray, string label) => new() { Pixels = gray.Select(b => (float)b).ToArray(), Label = label };

    public static IDataView ToDataView(MLContext ml, IReadOnlyList<PixelRow> rows)
    {
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FashionMnistSubset.ImageSize * FashionMnistSubset.ImageSize);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}
