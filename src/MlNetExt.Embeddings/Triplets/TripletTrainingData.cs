using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Training;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// The rows the triplet trainer has read and checked (input vectors and 0-based identities) as a tensor source of Core's
/// training loop: column <see cref="InputColumn"/> (float [N, width]) and <see cref="ClassColumn"/> (float [N, 1], exact for
/// fewer than 2^24 identities; <see cref="Classes"/> turns a batch's into int64 [N]).
/// </summary>
internal static class TripletTrainingData
{
    public const string InputColumn = "Input";
    public const string ClassColumn = "Class";

    private sealed class Row
    {
        public float[] Input { get; set; } = [];

        public float Class { get; set; }
    }

    /// <summary>Caches the rows as tensors (always in memory: the P x K sampler picks rows at random).</summary>
    public static DataViewTensorSource Create(MLContext context, float[] inputs, int rows, int width, int[] classes, int classCount)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Input)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        if (classCount >= 1 << 24)
            throw new ArgumentException($"Triplet training supports fewer than {1 << 24} identities; found {classCount}.", nameof(classCount));
        var data = context.Data.LoadFromEnumerable(Rows(inputs, rows, width, classes), schema);
        return DataViewTensorSource.Create(data, [new(InputColumn), new(ClassColumn)], maxInMemoryBytes: long.MaxValue);
    }

    /// <summary>The identities of a batch as int64 [N].</summary>
    public static TorchSharp.torch.Tensor Classes(TensorBatch batch) =>
        batch[ClassColumn].squeeze(1).to_type(TorchSharp.torch.ScalarType.Int64);

    private static IEnumerable<Row> Rows(float[] inputs, int rows, int width, int[] classes)
    {
        for (int i = 0; i < rows; i++)
            yield return new Row { Input = inputs.AsSpan(i * width, width).ToArray(), Class = classes[i] };
    }
}
