using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Training;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Classification;

/// <summary>Computes a frozen backbone's pooled features of every image once and serves them as a tensor source,
/// so head-only training never runs the backbone again.</summary>
internal static class CachedFeatures
{
    public const string FeatureColumn = "Features";
    public const string ClassColumn = "Class";

    /// <summary>Features (eval mode, no_grad) and class indices of every row of <paramref name="pixels"/>; checks
    /// <paramref name="cancellation"/> before every batch.</summary>
    public static DataViewTensorSource Create(MLContext context, ImageClassifierNetwork network, DataViewTensorSource pixels,
        string pixelColumn, Func<TensorBatch, Tensor> classesOf, int batchSize, Device device, long maxInMemoryBytes, CancellationToken cancellation)
    {
        var rows = new List<FeatureRow>();
        network.eval();
        using (no_grad())
        {
            foreach (var batch in pixels.GetBatches(batchSize, shuffle: false, seed: 0, device))
            {
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    cancellation.ThrowIfCancellationRequested();
                    var features = network.Features(network.Normalize(network.ToImages(batch[pixelColumn]))).cpu();
                    var classes = classesOf(batch).cpu();
                    long width = features.shape[1];
                    float[] all = features.data<float>().ToArray();
                    long[] labels = classes.data<long>().ToArray();
                    for (int i = 0; i < labels.Length; i++)
                        rows.Add(new FeatureRow { Features = all.AsSpan(i * (int)width, (int)width).ToArray(), Class = labels[i] });
                }
            }
        }
        int dimension = rows.Count == 0 ? 1 : rows[0].Features.Length;
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        var view = context.Data.LoadFromEnumerable(rows, definition);
        return DataViewTensorSource.Create(view, [new TensorColumnSpec(FeatureColumn), new TensorColumnSpec(ClassColumn)], maxInMemoryBytes);
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];

        public float Class { get; set; }
    }
}
