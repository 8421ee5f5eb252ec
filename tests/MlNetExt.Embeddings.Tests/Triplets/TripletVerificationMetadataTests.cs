using Microsoft.ML;
using MlNetExt.Embeddings.Triplets;
using Xunit;
using static MlNetExt.Embeddings.Tests.Triplets.TripletTestData;

namespace MlNetExt.Embeddings.Tests.Triplets;

/// <summary>A triplet model's verification threshold and gallery travel in its ONNX metadata.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class TripletVerificationMetadataTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-triplet-gallery-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Threshold_and_gallery_are_saved_with_the_model_and_identify_the_same_after_loading()
    {
        var ml = new MLContext(1);
        var train = Data(ml, 96, seed: 1);
        var queries = Data(ml, 48, seed: 2);
        var model = ml.DeepLearning().Transforms.TripletEmbedding(Options(epochs: 5)).Fit(train);
        var scored = model.Transform(train);
        double threshold = ml.DeepLearning().Embeddings.Evaluate(scored, "Learned", "Label").EqualErrorRateThreshold;
        var gallery = EmbeddingGallery.FromData(scored, "Learned", "Label");

        var verifying = model.WithVerification(threshold, gallery);
        string path = Path.Combine(_folder, "verifying.zip");
        ml.DeepLearning().Model.Save(verifying, train.Schema, path);
        var loaded = new MLContext(7).DeepLearning().Model.Load<TripletEmbeddingModel>(path, out _);

        Assert.Null(model.VerificationThreshold);
        Assert.Null(model.Gallery);
        Assert.Equal(threshold, verifying.VerificationThreshold);
        Assert.Equal(threshold, loaded.VerificationThreshold);
        Assert.Equal(gallery.Identities, loaded.Gallery!.Identities);
        Assert.Equal(gallery.Count, loaded.Gallery.Count);
        Assert.Equal(model.History.Select(h => h.TrainLoss), loaded.History.Select(h => h.TrainLoss));
        var embeddings = EmbeddingData.Column(model.Transform(queries), "Learned");
        Assert.Equal(embeddings, EmbeddingData.Column(loaded.Transform(queries), "Learned"));
        var expected = embeddings.Select(e => gallery.Identify(e, threshold)).ToArray();
        var identified = embeddings.Select(e => loaded.Identify(e)).ToArray();
        Assert.Equal(expected, identified);
        Assert.Contains(identified, r => r.Identity is not null);
        // Plain ML.NET still loads the file: the extras are metadata of the same standard ONNX transformer.
        Assert.Equal(embeddings, EmbeddingData.Column(ml.Model.Load(path, out _).Transform(queries), "Learned"));
    }

    [Fact]
    public void A_gallery_of_another_dimension_or_a_negative_threshold_is_refused()
    {
        var ml = new MLContext(1);
        var model = ml.DeepLearning().Transforms.TripletEmbedding(Options(epochs: 1)).Fit(Data(ml, 64, seed: 1));
        var wrong = new EmbeddingGallery([new float[5], new float[5]], ["a", "b"]);

        var e = Assert.Throws<ArgumentException>(() => model.WithVerification(0.5, wrong));
        Assert.Contains("5 values", e.Message);
        Assert.Contains("'Learned'", e.Message);
        Assert.Contains("8", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.WithVerification(-1));
        Assert.Throws<InvalidOperationException>(() => model.Identify(new float[8]));
    }
}
