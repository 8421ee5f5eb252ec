using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Cca;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

public class DeepCcaTests
{
    private static DeepCcaOptions Options() => new()
    {
        Components = 1,
        EncoderOutputDimension = 4,
        HiddenLayers = new[] { 32, 32 },
        BatchSize = 400,
        Epochs = 60,
        LearningRate = 5e-3f,
        Optimizer = OptimizerKind.Adam,
        Seed = 7,
    };

    [Fact]
    [Trait("Category", "Slow")]
    public void Deep_cca_beats_linear_cca_on_held_out_non_linear_shared_signal()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(2000, seed: 2);
        var (ta, tb) = CcaTestData.NonLinear(1000, seed: 3);
        var train = EmbeddingData.TwoViews(ml, a, b);
        var test = EmbeddingData.TwoViews(ml, ta, tb);

        var linear = ml.Transforms.LinearCca("ViewA", "ViewB", components: 1).Fit(train);
        var deep = ml.Transforms.DeepCca(Options()).Fit(train);
        double linearHeldOut = CcaTestData.HeldOutCorrelations(linear.Transform(test))[0];
        double deepHeldOut = CcaTestData.HeldOutCorrelations(deep.Transform(test))[0];
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"held-out first canonical correlation: linear {linearHeldOut:F3}, deep {deepHeldOut:F3} (train deep {deep.CanonicalCorrelations[0]:F3})");

        Assert.True(deepHeldOut > linearHeldOut + 0.1, $"deep {deepHeldOut:F3} vs linear {linearHeldOut:F3}");
        Assert.True(deepHeldOut > 0.85, $"deep {deepHeldOut:F3}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Deep_cca_beats_linear_cca_on_held_out_left_and_right_image_halves()
    {
        // The DCCA paper's real-data protocol: view A = left 14 columns, view B = right 14 columns of Fashion-MNIST images.
        const int k = 10;
        var ml = new MLContext(1);
        var train = ImageHalvesData.Load(ml, train: true, perClass: 300);
        var test = ImageHalvesData.Load(ml, train: false, perClass: 100);

        // Linear CCA gets its best ridge on the held-out rows: the baseline is not handicapped.
        double linearHeldOut = new[] { 1e-3, 1e-2, 1e-1 }.Max(ridge => CcaTestData.HeldOutCorrelations(ml.Transforms.LinearCca(
            new LinearCcaOptions { Components = k, Regularization = ridge }).Fit(train).Transform(test)).Sum());
        var deep = ml.Transforms.DeepCca(new DeepCcaOptions
        {
            Components = k, HiddenLayers = new[] { 256 }, FullBatch = true, Epochs = 100, LearningRate = 3e-3f,
            Optimizer = OptimizerKind.Adam, Regularization = 1e-3, Seed = 1,
        }).Fit(train);
        double deepHeldOut = CcaTestData.HeldOutCorrelations(deep.Transform(test)).Sum();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"held-out total correlation of the top {k}: linear {linearHeldOut:F3}, deep {deepHeldOut:F3} (training deep {deep.CanonicalCorrelations.Sum():F3})");

        Assert.True(deepHeldOut > linearHeldOut + 0.1, $"deep {deepHeldOut:F3} vs linear {linearHeldOut:F3}");
    }

    [Fact]
    public void Deep_cca_views_transform_alone_and_save_load_gives_identical_outputs()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(300, seed: 4);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var options = Options();
        options.Epochs = 3;
        options.Components = 2;
        var model = ml.Transforms.DeepCca(options).Fit(data);

        Assert.Equal(2, model.CanonicalCorrelations.Count);
        Assert.True(model.CanonicalCorrelations[0] >= model.CanonicalCorrelations[1]);
        var both = model.Transform(data);
        var onlyB = model.ViewB.Transform(data);
        Assert.Null(onlyB.Schema.GetColumnOrNull("ViewAEmbedding"));
        Assert.Equal(EmbeddingData.Column(both, "ViewBEmbedding"), EmbeddingData.Column(onlyB, "ViewBEmbedding"));
        // The training-set canonical variates of the fitted model have the reported correlations.
        var trainCorrelations = CcaTestData.HeldOutCorrelations(both);
        Assert.Equal(model.CanonicalCorrelations[0], trainCorrelations[0], 0.01);

        var path = Path.Combine(Path.GetTempPath(), $"deep-cca-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var reloaded = ml.Model.Load(path, out _).Transform(data);
            Assert.Equal(EmbeddingData.Column(both, "ViewAEmbedding"), EmbeddingData.Column(reloaded, "ViewAEmbedding"));
            Assert.Equal(EmbeddingData.Column(both, "ViewBEmbedding"), EmbeddingData.Column(reloaded, "ViewBEmbedding"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Deep_cca_with_nan_names_column_and_row()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(100, seed: 4);
        a[42][1] = float.NaN;
        var options = Options();
        options.Epochs = 1;
        var e = Assert.ThrowsAny<Exception>(() => ml.Transforms.DeepCca(options).Fit(EmbeddingData.TwoViews(ml, a, b)));
        Assert.Contains("ViewA", e.Message);
        Assert.Contains("42", e.Message);
    }
}
