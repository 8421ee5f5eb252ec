using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Cca;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

public class LinearCcaTests
{
    [Fact]
    public void Linear_cca_recovers_known_canonical_correlations()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(6000, seed: 2);
        var (ta, tb) = CcaTestData.Linear(3000, seed: 3);

        var model = ml.Transforms.LinearCca("ViewA", "ViewB", components: 2).Fit(EmbeddingData.TwoViews(ml, a, b));
        var heldOut = CcaTestData.HeldOutCorrelations(model.Transform(EmbeddingData.TwoViews(ml, ta, tb)));

        Assert.Equal(0.8, model.CanonicalCorrelations[0], 0.03);
        Assert.Equal(0.5, model.CanonicalCorrelations[1], 0.04);
        Assert.Equal(0.8, heldOut[0], 0.03);
        Assert.Equal(0.5, heldOut[1], 0.05);
    }

    [Fact]
    public void Each_view_transforms_on_its_own_and_save_load_gives_identical_outputs()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(500, seed: 4);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var model = ml.Transforms.LinearCca("ViewA", "ViewB", components: 2).Fit(data);

        var onlyA = model.ViewA.Transform(data);
        Assert.NotNull(onlyA.Schema.GetColumnOrNull("ViewAEmbedding"));
        Assert.Null(onlyA.Schema.GetColumnOrNull("ViewBEmbedding"));
        var both = model.Transform(data);
        Assert.Equal(EmbeddingData.Column(onlyA, "ViewAEmbedding"), EmbeddingData.Column(both, "ViewAEmbedding"));

        var path = Path.Combine(Path.GetTempPath(), $"linear-cca-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = ml.Model.Load(path, out _);
            var reloaded = loaded.Transform(data);
            Assert.Equal(EmbeddingData.Column(both, "ViewAEmbedding"), EmbeddingData.Column(reloaded, "ViewAEmbedding"));
            Assert.Equal(EmbeddingData.Column(both, "ViewBEmbedding"), EmbeddingData.Column(reloaded, "ViewBEmbedding"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NaN_in_a_view_is_rejected_naming_column_and_row()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(50, seed: 5);
        b[17][2] = float.NaN;
        var e = Assert.Throws<InvalidDataException>(() => ml.Transforms.LinearCca().Fit(EmbeddingData.TwoViews(ml, a, b)));
        Assert.Contains("'ViewB'", e.Message);
        Assert.Contains("row 17", e.Message);
    }

    [Fact]
    public void Missing_or_scalar_view_column_is_named()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(50, seed: 5);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.LinearCca("ViewA", "Other").Fit(EmbeddingData.TwoViews(ml, a, b)));
        Assert.Contains("'Other'", e.Message);
    }
}
