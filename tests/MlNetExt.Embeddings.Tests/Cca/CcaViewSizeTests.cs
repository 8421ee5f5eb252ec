using Microsoft.ML;
using MlNetExt.Embeddings.Cca;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

public class CcaViewSizeTests
{
    [Fact]
    public void Linear_cca_with_more_components_than_the_narrower_view_names_that_view()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(200, seed: 7);
        int narrowWidth = Math.Min(a[0].Length, b[0].Length);
        string narrowView = a[0].Length <= b[0].Length ? "ViewA" : "ViewB";

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.LinearCca("ViewA", "ViewB", components: narrowWidth + 1).Fit(EmbeddingData.TwoViews(ml, a, b)));

        Assert.Contains($"'{narrowView}'", error.Message);
        Assert.Contains($"{narrowWidth + 1}", error.Message);
    }

    [Fact]
    public void Scoring_a_view_of_another_width_than_in_training_names_the_column()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(200, seed: 8);
        var model = ml.Transforms.LinearCca("ViewA", "ViewB", components: 1).Fit(EmbeddingData.TwoViews(ml, a, b));
        var wider = a.Select(row => row.Append(0f).ToArray()).ToArray();

        var error = Record.Exception(() => EmbeddingData.Column(model.ViewA.Transform(EmbeddingData.TwoViews(ml, wider, b)), "ViewAEmbedding"));

        Assert.NotNull(error);
        Assert.Contains("ViewA", error.Message);
    }
}
