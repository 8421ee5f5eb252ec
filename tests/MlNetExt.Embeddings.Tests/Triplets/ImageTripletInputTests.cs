using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Triplets;
using MlNetExt.ImageAugmentation;
using MlNetExt.Samples.Data;
using MlNetExt.Vision.Classification;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Triplets;

[Collection(nameof(TorchGlobalRandomCollection))]
public class ImageTripletInputTests
{
    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = Array.Empty<float>();
        public string Label { get; set; } = "";
    }

    /// <summary>Gray Fashion-MNIST images as raw pixel vectors (1 x 28 x 28, values 0..255).</summary>
    private static IDataView PixelVectors(MLContext ml, FashionMnistSubset images, Func<int, string>? label = null)
    {
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 28 * 28);
        var rows = Enumerable.Range(0, images.Count).Select(i => new PixelRow
        {
            Pixels = images.Images[i].Select(b => (float)b).ToArray(),
            Label = label?.Invoke(i) ?? FashionMnistSubset.ClassNames[images.Labels[i]],
        }).ToList();
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private static TripletEmbeddingOptions PixelOptions(int epochs)
    {
        var options = FashionTripletFixture.Options(epochs);
        options.FeatureColumnName = "Pixels";
        return options;
    }

    [Fact]
    public void Raw_pixel_vectors_train_an_image_encoder_that_matches_the_mlimage_path_before_training()
    {
        var ml = new MLContext(1);
        var images = FashionMnistSubset.LoadTrain().TakePerClass(12);
        var vectors = PixelVectors(ml, images);

        // Same seed, same initial weights: gray vectors (1 channel, replicated in the graph) and MLImages (RGB from
        // ExtractPixels) must give the same untrained embeddings.
        var fromVectors = new TripletEmbeddingEstimator(ml, PixelOptions(0)).Fit(vectors);
        var fromImages = new TripletEmbeddingEstimator(ml, FashionTripletFixture.Options(0)).Fit(images.ToDataView(ml));
        Assert.Equal(28 * 28, fromVectors.EncoderInputWidth);
        Assert.Equal("Pixels", fromVectors.EncoderInputName);
        var a = EmbeddingData.Column(fromVectors.Model.Transform(vectors), "Embedding");
        var b = EmbeddingData.Column(fromImages.Model.Transform(images.ToDataView(ml)), "Embedding");
        for (int i = 0; i < a.Length; i++)
            for (int k = 0; k < a[i].Length; k++)
                Assert.Equal(b[i][k], a[i][k], 4);

        var trained = new TripletEmbeddingEstimator(ml, PixelOptions(2)).Fit(vectors);
        Assert.Equal(2, trained.History.Count);
        Assert.True(trained.History[^1].TrainLoss < trained.History[0].TrainLoss * 1.5);
        var embeddings = EmbeddingData.Column(trained.Model.Transform(vectors), "Embedding");
        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Sum(v => (double)v * v)), 4));
        Assert.NotEqual(a[0], embeddings[0]);
    }

    [Fact]
    public void Missing_input_column_names_the_column_and_the_available_ones()
    {
        var ml = new MLContext(1);
        var data = PixelVectors(ml, FashionMnistSubset.LoadTrain().TakePerClass(3));
        var options = PixelOptions(1);
        options.FeatureColumnName = "Photo";
        var e = Assert.Throws<ArgumentException>(() => new TripletEmbeddingEstimator(ml, options).Fit(data));
        Assert.Contains("'Photo'", e.Message);
        Assert.Contains("Pixels", e.Message);
    }

    [Fact]
    public void Image_input_with_a_single_class_is_rejected()
    {
        var ml = new MLContext(1);
        var data = PixelVectors(ml, FashionMnistSubset.LoadTrain().TakePerClass(3), _ => "everyone");
        var e = Assert.Throws<ArgumentException>(() => new TripletEmbeddingEstimator(ml, PixelOptions(1)).Fit(data));
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("1 class", e.Message);
    }

    [Fact]
    public void Image_input_with_a_single_example_class_names_the_row()
    {
        var ml = new MLContext(1);
        var images = FashionMnistSubset.LoadTrain().TakePerClass(3);
        var data = PixelVectors(ml, images, i => i == 7 ? "lonely" : FashionMnistSubset.ClassNames[images.Labels[i]]);
        var e = Assert.Throws<ArgumentException>(() => new TripletEmbeddingEstimator(ml, PixelOptions(1)).Fit(data));
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("row 7", e.Message);
    }

    [Fact]
    public void Pixel_vector_that_is_not_an_image_names_the_column_and_its_size()
    {
        var ml = new MLContext(1);
        var x = Enumerable.Range(0, 8).Select(i => Enumerable.Range(0, 50).Select(j => (float)(i + j)).ToArray()).ToArray();
        var y = Enumerable.Range(0, 8).Select(i => "c" + (i % 2)).ToArray();
        var options = PixelOptions(1);
        options.FeatureColumnName = "Embedding";
        var e = Assert.Throws<ArgumentException>(() => new TripletEmbeddingEstimator(ml, options).Fit(EmbeddingData.Labelled(ml, x, y)));
        Assert.Contains("'Embedding'", e.Message);
        Assert.Contains("50", e.Message);
    }

    [Fact]
    public void MLImage_input_without_a_backbone_uses_the_shipped_default_backbone()
    {
        var ml = new MLContext(1);
        var images = FashionMnistSubset.LoadTrain().TakePerClass(2);
        var data = images.ToDataView(ml);
        var options = FashionTripletFixture.Options(0);
        options.Backbone = null;
        options.ImageSize = 32;
        var model = new TripletEmbeddingEstimator(ml, options).Fit(data);

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(model.GetOnnxModel());
        var architecture = System.Text.Json.JsonDocument.Parse(session.ModelMetadata.CustomMetadataMap["mlnetext.architecture"]).RootElement;
        Assert.Equal(ImageBackbone.Default.Description, architecture.GetProperty("encoder").GetString());
        Assert.Equal(3 * 32 * 32, model.EncoderInputWidth);
        var embeddings = EmbeddingData.Column(model.Model.Transform(data), "Embedding");
        Assert.Equal(images.Count, embeddings.Length);
        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Sum(v => (double)v * v)), 4));
    }

    [Fact]
    public void Augmentation_changes_the_training_batches_but_not_scoring()
    {
        var ml = new MLContext(1);
        var vectors = PixelVectors(ml, FashionMnistSubset.LoadTrain().TakePerClass(12));
        var plain = new TripletEmbeddingEstimator(ml, PixelOptions(2)).Fit(vectors);
        var options = PixelOptions(2);
        options.Augmentation = AugmentationPolicy.Default;
        var augmented = new TripletEmbeddingEstimator(ml, options).Fit(vectors);

        // Same seed, same batches, same initial weights: only the augmented pixels can change the first epoch's loss.
        Assert.NotEqual(plain.History[0].TrainLoss, augmented.History[0].TrainLoss);
        var first = EmbeddingData.Column(augmented.Model.Transform(vectors), "Embedding");
        var second = EmbeddingData.Column(augmented.Model.Transform(vectors), "Embedding");
        Assert.Equal(first, second);
    }

    [Fact]
    public void Backbone_learning_rate_multiplier_zero_freezes_the_backbone_and_trains_the_head()
    {
        var ml = new MLContext(1);
        var vectors = PixelVectors(ml, FashionMnistSubset.LoadTrain().TakePerClass(12));
        var untrained = new TripletEmbeddingEstimator(ml, PixelOptions(0)).Fit(vectors);
        var options = PixelOptions(2);
        options.BackboneLearningRateMultiplier = 0;
        var frozen = new TripletEmbeddingEstimator(ml, options).Fit(vectors);

        var folder = Path.Combine(Path.GetTempPath(), $"triplet-frozen-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            untrained.ExportToOnnx(Path.Combine(folder, "untrained.onnx"));
            frozen.ExportToOnnx(Path.Combine(folder, "frozen.onnx"));
            using var before = MlNetExt.Vision.Weights.WeightFile.Read(Path.Combine(folder, "untrained.onnx"));
            using var after = MlNetExt.Vision.Weights.WeightFile.Read(Path.Combine(folder, "frozen.onnx"));
            var backbone = before.Keys.Where(k => k.Contains("backbone", StringComparison.Ordinal)).ToArray();
            var head = before.Keys.Where(k => k.Contains("head", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(backbone);
            Assert.NotEmpty(head);
            Assert.All(backbone, k => Assert.True(before[k].allclose(after[k], rtol: 0, atol: 0), $"{k} changed"));
            Assert.Contains(head, k => !before[k].allclose(after[k], rtol: 0, atol: 0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
