using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Tests.Triplets;

/// <summary>Small labelled vector data for triplet tests, and the triplet loss of a model's embeddings.</summary>
internal static class TripletTestData
{
    /// <summary>8 identities, <paramref name="width"/> features of which the first 3 carry the identity under uniform noise.</summary>
    public static (float[][] X, string[] Y) Identities(int rows, int seed, int width = 12)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, rows)
            .Select(i => Enumerable.Range(0, width).Select(j => (float)(random.NextDouble() * 2 - 1 + (j < 3 ? (i % 8) * 0.3 : 0))).ToArray()).ToArray();
        var y = Enumerable.Range(0, rows).Select(i => "c" + (i % 8)).ToArray();
        return (x, y);
    }

    public static IDataView Data(MLContext ml, int rows, int seed, int width = 12)
    {
        var (x, y) = Identities(rows, seed, width);
        return EmbeddingData.Labelled(ml, x, y);
    }

    public static TripletEmbeddingOptions Options(int epochs, float learningRate = 3e-3f) => new()
    {
        FeatureColumnName = "Embedding", OutputColumnName = "Learned", EmbeddingDimension = 8, HiddenLayers = [16],
        Epochs = epochs, LearningRate = learningRate, ClassesPerBatch = 8, ExamplesPerClass = 4, Seed = 5,
    };

    /// <summary>The mean triplet loss (margin 0.2, Euclidean) over every valid triplet of <paramref name="data"/>'s rows,
    /// embedded by <paramref name="model"/>.</summary>
    public static double MeanTripletLoss(ITransformer model, IDataView data)
    {
        var embeddings = EmbeddingData.Column(model.Transform(data), "Learned");
        var labels = data.GetColumn<ReadOnlyMemory<char>>("Label").Select(l => l.ToString()).ToArray();
        var classes = labels.Distinct().ToList();
        using var scope = NewDisposeScope();
        var x = tensor(embeddings.SelectMany(e => e).ToArray(), [embeddings.Length, embeddings[0].Length]);
        var y = tensor(labels.Select(l => (long)classes.IndexOf(l)).ToArray());
        return TripletLoss.BatchLoss(x, y, 0.2f, EmbeddingDistance.Euclidean, TripletMining.All, TripletReduction.All).item<float>();
    }
}
