using Microsoft.ML;
using MlNetExt.Embeddings.Triplets;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Triplets;

/// <summary>The triplet model on Core's model shape: typed back from <c>mlContext.DeepLearning().Model.Load</c>, and the
/// estimator's seed fixed at construction.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class TripletModelShapeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-triplet-load-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IDataView Data(MLContext ml, int seed)
    {
        var random = new Random(seed);
        int n = 96;
        var x = Enumerable.Range(0, n)
            .Select(i => Enumerable.Range(0, 12).Select(j => (float)(random.NextDouble() * 2 - 1 + (j < 3 ? (i % 8) * 0.3 : 0))).ToArray()).ToArray();
        var y = Enumerable.Range(0, n).Select(i => "c" + (i % 8)).ToArray();
        return EmbeddingData.Labelled(ml, x, y);
    }

    private static TripletEmbeddingOptions Options(int? seed, TripletMining mining = TripletMining.All, float margin = 0.2f,
        float learningRate = 3e-3f, IDataView? validation = null) => new()
    {
        FeatureColumnName = "Embedding", OutputColumnName = "Learned", EmbeddingDimension = 8, HiddenLayers = [16],
        Epochs = 3, LearningRate = learningRate, Margin = margin, Mining = mining, ClassesPerBatch = 8, ExamplesPerClass = 4,
        Seed = seed, ValidationSet = validation,
    };

    [Fact]
    public void Saved_triplet_model_loads_typed_with_history_warnings_and_identical_embeddings()
    {
        // Batch-hard with margin 1.5 and a high learning rate collapses: the model carries collapse warnings.
        var ml = new MLContext(1);
        var data = Data(ml, 1);
        var model = ml.DeepLearning().Transforms.TripletEmbedding(
            Options(seed: 1, TripletMining.BatchHard, margin: 1.5f, learningRate: 0.05f, validation: Data(ml, 2))).Fit(data);
        Assert.NotEmpty(model.CollapseWarnings);
        string path = Path.Combine(_folder, "triplet.zip");
        ml.Model.Save(model, data.Schema, path);

        var fresh = new MLContext(99);
        var loaded = fresh.DeepLearning().Model.Load<TripletEmbeddingModel>(path, out var schema);

        Assert.Equal(3, loaded.History.Count);
        Assert.Equal(model.History.Select(h => (h.Epoch, h.TrainLoss, h.ValidationLoss)), loaded.History.Select(h => (h.Epoch, h.TrainLoss, h.ValidationLoss)));
        Assert.All(loaded.History, h => Assert.True(h.Metrics.ContainsKey("RecallAt1")));
        Assert.Equal(model.TripletEpochs, loaded.TripletEpochs);
        Assert.Equal(model.LastCollapseReport, loaded.LastCollapseReport);
        Assert.Equal(model.CollapseWarnings, loaded.CollapseWarnings);
        Assert.Equal(model.Warnings, loaded.Warnings);
        Assert.Equal((model.EncoderInputName, model.EncoderInputWidth, model.EncoderOutputName),
            (loaded.EncoderInputName, loaded.EncoderInputWidth, loaded.EncoderOutputName));
        Assert.Equal(model.GetOnnxModel(), loaded.GetOnnxModel());
        Assert.Equal("triplet_embedding", loaded.OnnxMetadata["mlnetext.model"]);
        Assert.Contains("\"network\":\"triplet_mlp\"", loaded.OnnxMetadata["mlnetext.architecture"]);
        Assert.Equal(data.Schema.Select(c => c.Name), schema.Select(c => c.Name));
        var expected = EmbeddingData.Column(model.Transform(data), "Learned");
        var actual = EmbeddingData.Column(loaded.Transform(Data(fresh, 1)), "Learned");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Estimators_seeded_at_construction_train_the_same_whichever_is_fitted_first()
    {
        var ml1 = new MLContext(7);
        var a1 = new TripletEmbeddingEstimator(ml1, Options(seed: null));
        var b1 = new TripletEmbeddingEstimator(ml1, Options(seed: null));
        var data1 = Data(ml1, 3);
        var embeddingsA1 = EmbeddingData.Column(a1.Fit(data1).Transform(data1), "Learned");
        var embeddingsB1 = EmbeddingData.Column(b1.Fit(data1).Transform(data1), "Learned");

        var ml2 = new MLContext(7);
        var a2 = new TripletEmbeddingEstimator(ml2, Options(seed: null));
        var b2 = new TripletEmbeddingEstimator(ml2, Options(seed: null));
        var data2 = Data(ml2, 3);
        var embeddingsB2 = EmbeddingData.Column(b2.Fit(data2).Transform(data2), "Learned");
        var embeddingsA2 = EmbeddingData.Column(a2.Fit(data2).Transform(data2), "Learned");

        Assert.Equal(embeddingsA1, embeddingsA2);
        Assert.Equal(embeddingsB1, embeddingsB2);
        Assert.NotEqual(embeddingsA1, embeddingsB1);
        // Fitting one estimator twice gives the same model: Fit draws nothing from the context.
        Assert.Equal(embeddingsA1, EmbeddingData.Column(a1.Fit(data1).Transform(data1), "Learned"));
    }
}
