using Microsoft.ML;
using MlNetExt.Embeddings.Triplets;
using MlNetExt.Samples.Data;
using Xunit;
using static MlNetExt.Embeddings.Tests.Triplets.TripletTestData;

namespace MlNetExt.Embeddings.Tests.Triplets;

/// <summary><c>TripletEmbeddingEstimator.Fit(data, initialModel)</c> trains a fitted or loaded triplet model further.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class TripletContinueTrainingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-triplet-continue-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Continuing_a_loaded_model_on_new_data_lowers_its_triplet_loss_there_and_keeps_the_schema()
    {
        var ml = new MLContext(1);
        var first = Data(ml, 96, seed: 1);
        var next = Data(ml, 96, seed: 2);
        var initial = ml.DeepLearning().Transforms.TripletEmbedding(Options(epochs: 2)).Fit(first);
        string path = Path.Combine(_folder, "initial.zip");
        ml.DeepLearning().Model.Save(initial, first.Schema, path);
        var loaded = ml.DeepLearning().Model.Load<TripletEmbeddingModel>(path, out _);

        var continued = ml.DeepLearning().Transforms.TripletEmbedding(Options(epochs: 15)).Fit(next, loaded);

        double before = MeanTripletLoss(initial, next), after = MeanTripletLoss(continued, next);
        TestContext.Current.TestOutputHelper?.WriteLine($"mean triplet loss on the new data: initial {before:F4}, continued {after:F4}");
        Assert.True(after < 0.8 * before, $"initial {before:F4}, continued {after:F4}");
        Assert.Equal(15, continued.History.Count);
        var schema = initial.GetOutputSchema(next.Schema);
        Assert.Equal(schema.Select(c => (c.Name, c.Type.ToString())), continued.GetOutputSchema(next.Schema).Select(c => (c.Name, c.Type.ToString())));
        Assert.Equal(initial.OnnxMetadata["mlnetext.architecture"], continued.OnnxMetadata["mlnetext.architecture"]);
    }

    [Fact]
    public void Continuing_with_a_negligible_learning_rate_keeps_the_initial_embedding_and_its_shape_over_the_options()
    {
        var ml = new MLContext(1);
        var next = Data(ml, 96, seed: 4);
        var initial = ml.DeepLearning().Transforms.TripletEmbedding(Options(epochs: 3)).Fit(Data(ml, 96, seed: 3));
        var options = Options(epochs: 1, learningRate: 1e-9f);
        options.HiddenLayers = [32, 32];
        options.EmbeddingDimension = 4;

        var continued = ml.DeepLearning().Transforms.TripletEmbedding(options).Fit(next, initial);

        // The network is the initial model's (its shape, not the options'), with the initial weights.
        var expected = EmbeddingData.Column(initial.Transform(next), "Learned");
        var actual = EmbeddingData.Column(continued.Transform(next), "Learned");
        Assert.Equal(8, actual[0].Length);
        for (int i = 0; i < expected.Length; i++)
            for (int j = 0; j < expected[i].Length; j++)
                Assert.Equal(expected[i][j], actual[i][j], 4);
    }

    [Fact]
    public void Continuing_with_another_input_width_names_the_column_and_both_sizes()
    {
        var ml = new MLContext(1);
        var initial = ml.DeepLearning().Transforms.TripletEmbedding(Options(epochs: 1)).Fit(Data(ml, 64, seed: 1));

        var e = Assert.Throws<ArgumentException>(() =>
            ml.DeepLearning().Transforms.TripletEmbedding(Options(epochs: 1)).Fit(Data(ml, 64, seed: 2, width: 10), initial));

        Assert.Equal("initialModel", e.ParamName);
        Assert.Contains("'Embedding'", e.Message);
        Assert.Contains("10 values", e.Message);
        Assert.Contains("reads 12", e.Message);
    }

    [Fact]
    public void Continuing_an_mlp_model_as_an_image_encoder_says_which_network_the_model_holds()
    {
        var ml = new MLContext(1);
        var initial = ml.DeepLearning().Transforms.TripletEmbedding(Options(epochs: 1)).Fit(Data(ml, 64, seed: 1));
        var options = Options(epochs: 1);
        options.Backbone = FashionTripletFixture.SmallCnn();

        var e = Assert.Throws<ArgumentException>(() => ml.DeepLearning().Transforms.TripletEmbedding(options).Fit(Data(ml, 64, seed: 2), initial));

        Assert.Contains("MLP encoder of 12 features", e.Message);
    }

    [Fact]
    public void Continuing_an_image_encoder_starts_from_its_backbone_and_head_weights()
    {
        var ml = new MLContext(1);
        var images = FashionMnistSubset.LoadTrain().TakePerClass(6).ToDataView(ml);
        var initial = ml.DeepLearning().Transforms.TripletEmbedding(FashionTripletFixture.Options(epochs: 1)).Fit(images);
        var options = FashionTripletFixture.Options(epochs: 0);
        options.Seed = 99;   // another random initialisation, replaced by the initial model's weights

        var continued = ml.DeepLearning().Transforms.TripletEmbedding(options).Fit(images, initial);

        var expected = EmbeddingData.Column(initial.Transform(images), "Embedding");
        var actual = EmbeddingData.Column(continued.Transform(images), "Embedding");
        for (int i = 0; i < expected.Length; i++)
            for (int j = 0; j < expected[i].Length; j++)
                Assert.Equal(expected[i][j], actual[i][j], 5);
        var fresh = EmbeddingData.Column(ml.DeepLearning().Transforms.TripletEmbedding(options).Fit(images).Transform(images), "Embedding");
        Assert.NotEqual(expected[0], fresh[0]);
    }

    [Fact]
    public void Continuing_an_image_encoder_with_a_backbone_of_another_shape_says_the_backbone_does_not_fit()
    {
        var ml = new MLContext(1);
        var images = FashionMnistSubset.LoadTrain().TakePerClass(4).ToDataView(ml);
        var initial = ml.DeepLearning().Transforms.TripletEmbedding(FashionTripletFixture.Options(epochs: 0)).Fit(images);
        var options = FashionTripletFixture.Options(epochs: 1);
        options.Backbone = MlNetExt.Vision.Classification.ImageBackbone.FromScratch("small_cnn",
            new MlNetExt.Vision.Backbones.SmallCnnOptions { Channels = [8, 16] });

        var e = Assert.Throws<ArgumentException>(() => ml.DeepLearning().Transforms.TripletEmbedding(options).Fit(images, initial));

        Assert.Equal("initialModel", e.ParamName);
        Assert.Contains("Backbone", e.Message);
        Assert.Contains("shape mismatches", e.Message);
        Assert.DoesNotContain(" 0 shape mismatches", e.Message);
    }
}
