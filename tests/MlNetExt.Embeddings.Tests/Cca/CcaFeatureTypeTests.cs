using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Embeddings.Tests.Triplets;
using MlNetExt.Tests.Shared;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

/// <summary>Views of Double values train and score as their Single copies do: the model converts them to Single
/// (ConvertType) before the exported graph, in the combined model, the per-view transformers and after loading.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class CcaFeatureTypeTests : IDisposable
{
    private readonly SavedModelFolder _folder = new("mlnetext-cca-types-");

    public void Dispose() => _folder.Dispose();

    private static IDataView AsDouble(MLContext ml, IDataView data) =>
        ml.Transforms.Conversion.ConvertType([new InputOutputColumnPair("ViewA"), new InputOutputColumnPair("ViewB")], DataKind.Double)
            .Fit(data).Transform(data);

    [Fact]
    public void Double_views_train_the_same_deep_cca_as_Single_views_and_it_saves_loads_and_continues()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(200, seed: 65);
        var singles = EmbeddingData.TwoViews(ml, a, b);
        var doubles = AsDouble(ml, singles);

        var options = CcaContextTests.Small();
        options.Seed = 3; // two estimators drawing seeds from one context would get different ones
        var fromSingles = ml.DeepLearning().Transforms.DeepCca(options).Fit(singles);
        var fromDoubles = ml.DeepLearning().Transforms.DeepCca(options).Fit(doubles);

        Assert.Equal(fromSingles.History.Select(e => e.TrainLoss), fromDoubles.History.Select(e => e.TrainLoss));
        Assert.Equal(fromSingles.CanonicalCorrelations, fromDoubles.CanonicalCorrelations);
        var expected = fromSingles.Transform(singles);
        var scored = fromDoubles.Transform(doubles);
        foreach (var column in new[] { "ViewAEmbedding", "ViewBEmbedding" })
            Assert.Equal(EmbeddingData.Column(expected, column), EmbeddingData.Column(scored, column));
        Assert.Equal(EmbeddingData.Column(expected, "ViewAEmbedding"), EmbeddingData.Column(fromDoubles.ViewA.Transform(doubles), "ViewAEmbedding"));
        // A view transformer reads either type, whatever the model was trained on.
        Assert.Equal(EmbeddingData.Column(expected, "ViewBEmbedding"), EmbeddingData.Column(fromSingles.ViewB.Transform(doubles), "ViewBEmbedding"));

        string path = _folder.Save(ml, fromDoubles, doubles.Schema, "deep-double.zip");
        var loaded = new MLContext(2).DeepLearning().Model.Load<CcaModel>(path, out _);
        Assert.Equal(fromDoubles.CanonicalCorrelations, loaded.CanonicalCorrelations);
        Assert.Equal(EmbeddingData.Column(expected, "ViewAEmbedding"), EmbeddingData.Column(loaded.Transform(doubles), "ViewAEmbedding"));
        Assert.Equal(EmbeddingData.Column(expected, "ViewBEmbedding"), EmbeddingData.Column(loaded.ViewB.Transform(doubles), "ViewBEmbedding"));

        var continued = ml.DeepLearning().Transforms.DeepCca(options).Fit(doubles, loaded);
        Assert.True(continued.History[0].TrainLoss < fromDoubles.History[0].TrainLoss,
            $"continued {continued.History[0].TrainLoss} vs first {fromDoubles.History[0].TrainLoss}");
    }

    [Fact]
    public void Double_views_give_the_same_linear_cca_as_Single_views()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(200, seed: 66);
        var singles = EmbeddingData.TwoViews(ml, a, b);
        var doubles = AsDouble(ml, singles);

        var fromSingles = ml.DeepLearning().Transforms.LinearCca(components: 2).Fit(singles);
        var fromDoubles = ml.DeepLearning().Transforms.LinearCca(components: 2).Fit(doubles);

        Assert.Equal(fromSingles.CanonicalCorrelations, fromDoubles.CanonicalCorrelations);
        Assert.Equal(fromSingles.GetOnnxModel(), fromDoubles.GetOnnxModel());
        Assert.Equal(EmbeddingData.Column(fromSingles.Transform(singles), "ViewAEmbedding"),
            EmbeddingData.Column(fromDoubles.Transform(doubles), "ViewAEmbedding"));
        Assert.Equal(NumberDataViewType.Single, ((VectorDataViewType)fromDoubles.GetOutputSchema(doubles.Schema)["ViewAEmbedding"].Type).ItemType);
    }
}
