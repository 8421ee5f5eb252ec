using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using MlNetExt.ImageAugmentation;
using MlNetExt.ImageAugmentation.Operations;
using MlNetExt.Samples.Data;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Tests.Triplets;

/// <summary>Triplet training through Core's loop: its options, seeds, validation split, and the defects of issue 19
/// (vector input and augmentation, gray images, epochs with nothing to learn).</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public class TripletTrainingLoopIntegrationTests
{
    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = Array.Empty<float>();
        public string Label { get; set; } = "";
    }

    /// <summary>Each image is one identity, its row repeated <paramref name="copies"/> times.</summary>
    private static IDataView Identities(MLContext ml, FashionMnistSubset images, int copies)
    {
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 28 * 28);
        var rows = Enumerable.Range(0, images.Count).SelectMany(i => Enumerable.Range(0, copies).Select(_ => new PixelRow
        {
            Pixels = images.Images[i].Select(b => (float)b).ToArray(),
            Label = "id" + i,
        })).ToList();
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>8 identities told apart by 3 of 20 noisy features.</summary>
    private static IDataView Features(MLContext ml, int perClass, int seed)
    {
        var centres = new Random(100);
        var centre = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 3).Select(_ => (float)(centres.NextDouble() * 4 - 2)).ToArray()).ToArray();
        var random = new Random(seed);
        var x = new List<float[]>();
        var y = new List<string>();
        for (int c = 0; c < 8; c++)
            for (int i = 0; i < perClass; i++)
            {
                var row = new float[20];
                for (int j = 0; j < 20; j++) row[j] = j < 3 ? centre[c][j] + (float)(0.2 * (random.NextDouble() - 0.5)) : (float)(3 * (random.NextDouble() - 0.5));
                x.Add(row);
                y.Add("id" + c);
            }
        return EmbeddingData.Labelled(ml, x.ToArray(), y.ToArray());
    }

    private static TripletEmbeddingOptions MlpOptions(int epochs) => new()
    {
        FeatureColumnName = "Embedding", OutputColumnName = "Learned", EmbeddingDimension = 8, HiddenLayers = new[] { 32 },
        Epochs = epochs, LearningRate = 3e-3f, ExamplesPerClass = 4, BatchSize = 32, Seed = 3,
    };

    private static string[] Warnings(MLContext ml, ConcurrentQueue<string> into)
    {
        ml.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Warning && e.Source.StartsWith("TripletEmbedding", StringComparison.Ordinal))
                into.Enqueue(e.Message);
        };
        return [];
    }

    [Fact]
    public void Identical_examples_of_every_identity_warn_that_the_epoch_had_almost_no_active_triplets()
    {
        // Given: raw pixel vectors, each identity twice the same row, an MLP and no augmentation (the 0.022 recall run).
        var ml = new MLContext(1);
        var warnings = new ConcurrentQueue<string>();
        Warnings(ml, warnings);
        var data = Identities(ml, FashionMnistSubset.LoadTrain().TakePerClass(4), copies: 2);
        var options = new TripletEmbeddingOptions { FeatureColumnName = "Pixels", Epochs = 2, ExamplesPerClass = 2, Seed = 1 };

        var model = new TripletEmbeddingEstimator(ml, options).Fit(data);

        // Then: every epoch says so in the log and in the model, and it is not mistaken for a collapse.
        Assert.All(model.TripletEpochs, h => Assert.True(h.Collapse.ActiveTripletFraction < 1e-3, $"{h.Collapse.ActiveTripletFraction}"));
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("almost no active triplets", w));
        Assert.Equal(2, model.Warnings.Count);
        Assert.All(model.Warnings, w => Assert.Contains(warnings, logged => logged.EndsWith(w, StringComparison.Ordinal)));
        Assert.Empty(model.CollapseWarnings);
    }

    [Fact]
    public void Augmentation_of_a_raw_pixel_vector_without_backbone_makes_different_views_for_the_mlp()
    {
        // Given: the same identities, one row each, with an augmentation: the vector is treated as a 1 x 28 x 28 image.
        var ml = new MLContext(1);
        var warnings = new ConcurrentQueue<string>();
        Warnings(ml, warnings);
        var data = Identities(ml, FashionMnistSubset.LoadTrain().TakePerClass(4), copies: 1);
        var options = new TripletEmbeddingOptions
        {
            FeatureColumnName = "Pixels", Epochs = 2, ExamplesPerClass = 2, Seed = 1,
            Augmentation = new AugmentationPolicy(new AugmentationOperation[] { new Rotate(-20, 20, 1), new GaussianNoise(0.05, 0.05, 1) }),
        };

        var model = new TripletEmbeddingEstimator(ml, options).Fit(data);

        // Then: single-row identities are accepted, the K views differ (active triplets) and nothing warns.
        Assert.All(model.TripletEpochs, h => Assert.True(h.Collapse.ActiveTripletFraction > 0.01, $"{h.Collapse.ActiveTripletFraction}"));
        Assert.Empty(warnings);
        Assert.Equal(28 * 28, model.EncoderInputWidth);
    }

    [Fact]
    public void Augmentation_of_a_vector_that_is_not_an_image_is_rejected_naming_the_option_and_column()
    {
        var ml = new MLContext(1);
        var options = MlpOptions(1);
        options.Augmentation = AugmentationPolicy.Light;

        var e = Assert.Throws<ArgumentException>(() => new TripletEmbeddingEstimator(ml, options).Fit(Features(ml, 6, seed: 1)));
        Assert.Contains("Augmentation", e.Message);
        Assert.Contains("'Embedding'", e.Message);
        Assert.Contains("20", e.Message);
    }

    [Fact]
    public void Gray_images_are_augmented_as_gray_so_no_colour_appears()
    {
        var ml = new MLContext(1);
        var images = FashionMnistSubset.LoadTrain().TakePerClass(1);
        var options = new TripletEmbeddingOptions { Augmentation = AugmentationPolicy.Strong, ImageSize = 28, EmbeddingDimension = 4 };
        using var encoder = TripletEncoder.Image(options, FashionTripletFixture.SmallCnn(), 3, 28, 28, seed: 1);
        using var scope = NewDisposeScope();
        // RGB pixel vectors of gray images (ExtractPixels of a gray MLImage): three equal planes.
        var gray = tensor(images.Images.SelectMany(i => i.Select(b => (float)b)).ToArray(), new long[] { images.Count, 1, 28 * 28 });
        var rgb = gray.expand(-1, 3, -1).reshape(images.Count, 3 * 28 * 28);

        var augmented = encoder.Augment(rgb, epoch: 1, batch: 0).reshape(images.Count, 3, 28 * 28);

        Assert.False(augmented.allclose(rgb.reshape(images.Count, 3, 28 * 28)), "the augmentation changed nothing");
        Assert.True(augmented[.., 0].allclose(augmented[.., 1], rtol: 0, atol: 0), "colour appeared in gray images (G differs from R)");
        Assert.True(augmented[.., 0].allclose(augmented[.., 2], rtol: 0, atol: 0), "colour appeared in gray images (B differs from R)");
    }

    [Fact]
    public void Core_options_apply_schedule_optimizer_and_cancellation()
    {
        var ml = new MLContext(1);
        var data = Features(ml, 12, seed: 1);
        var options = MlpOptions(4);
        options.Optimizer = OptimizerKind.Sgd;
        options.LearningRate = 0.05f;
        options.LearningRateSchedule = LearningRateSchedule.Cosine;

        var model = new TripletEmbeddingEstimator(ml, options).Fit(data);

        var history = model.History;
        Assert.Equal(4, history.Count);
        Assert.True(history[^1].LearningRate < history[0].LearningRate / 2, $"{history[0].LearningRate} -> {history[^1].LearningRate}");
        Assert.All(history, h => Assert.True(h.Metrics.ContainsKey("ActiveTripletFraction")));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var stopped = MlpOptions(4);
        stopped.CancellationToken = cancelled.Token;
        Assert.ThrowsAny<OperationCanceledException>(() => new TripletEmbeddingEstimator(ml, stopped).Fit(data));
    }

    [Fact]
    public void Null_seed_derives_from_the_MLContext()
    {
        float[][] Embed(int contextSeed)
        {
            var ml = new MLContext(contextSeed);
            var data = Features(ml, 8, seed: 1);
            var options = MlpOptions(2);
            options.Seed = null;
            return EmbeddingData.Column(new TripletEmbeddingEstimator(ml, options).Fit(data).Transform(data), "Learned");
        }

        // Two separate trainings under equal context seeds must agree (the seed is the only source of randomness),
        // and a different context seed must give another model.
        float[][] first = Embed(5), repeated = Embed(5), otherSeed = Embed(6);
        Assert.Equal(first, repeated);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void Validation_fraction_holds_out_whole_identities_and_reports_retrieval_metrics()
    {
        var ml = new MLContext(1);
        var data = Features(ml, 20, seed: 2);
        var options = MlpOptions(3);
        options.ValidationFraction = 0.3f;

        var model = new TripletEmbeddingEstimator(ml, options).Fit(data);

        Assert.All(model.TripletEpochs, h => Assert.InRange(h.ValidationMapAtR!.Value, 0, 1));
        Assert.All(model.History, h => Assert.NotNull(h.ValidationLoss));
        Assert.All(model.History, h => Assert.True(h.Metrics.ContainsKey("RecallAt1")));
    }

#pragma warning disable CS0618 // the old name must keep working for one release
    [Fact]
    public void Old_InputColumnName_forwards_to_FeatureColumnName()
    {
        var options = new TripletEmbeddingOptions { InputColumnName = "Pixels" };
        Assert.Equal("Pixels", options.FeatureColumnName);
        Assert.Equal("Pixels", options.InputColumnName);
    }
#pragma warning restore CS0618
}
