using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Tests.Shared;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

/// <summary>A CCA model saved with <c>mlContext.Model.Save</c> comes back from <c>mlContext.DeepLearning().Model.Load</c> as
/// a <see cref="CcaModel"/>: history, canonical correlations, per-view graphs and identical scores.</summary>
public sealed class CcaModelLoadTests : IDisposable
{
    private readonly SavedModelFolder _folder = new("mlnetext-cca-load-");

    public void Dispose() => _folder.Dispose();

    private string Save(MLContext ml, ITransformer model, DataViewSchema schema, string name) => _folder.Save(ml, model, schema, name);

    private static void AssertSameHistory(TrainingHistory expected, TrainingHistory actual) =>
        TrainingHistoryAssert.Same(expected, actual, compareMetrics: false);

    [Fact]
    public void Deep_cca_model_comes_back_with_history_correlations_view_graphs_and_identical_scores()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(300, seed: 41);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var options = CcaContextTests.Small();
        options.ValidationFraction = 0.25f;
        var model = ml.DeepLearning().Transforms.DeepCca(options).Fit(data);
        string path = Save(ml, model, data.Schema, "deep.zip");

        var fresh = new MLContext(99);
        var loaded = Assert.IsType<CcaModel>(fresh.DeepLearning().Model.Load(path, out var schema));

        Assert.Equal(model.CanonicalCorrelations, loaded.CanonicalCorrelations);
        AssertSameHistory(model.History, loaded.History);
        Assert.Equal(3, loaded.History.Count);
        Assert.NotNull(loaded.History.BestValidationLoss);
        Assert.Equal(model.OnnxModelNames, loaded.OnnxModelNames);
        Assert.Equal(model.GetOnnxModel(), loaded.GetOnnxModel());
        Assert.Equal(model.GetOnnxModel(CcaModel.ViewAOnnxModelName), loaded.GetOnnxModel(CcaModel.ViewAOnnxModelName));
        Assert.Equal(model.GetOnnxModel(CcaModel.ViewBOnnxModelName), loaded.GetOnnxModel(CcaModel.ViewBOnnxModelName));
        Assert.Equal("cca", loaded.OnnxMetadata["mlnetext.model"]);
        var scored = model.Transform(data);
        var again = loaded.Transform(EmbeddingData.TwoViews(fresh, a, b));
        Assert.Equal(EmbeddingData.Column(scored, "ViewAEmbedding"), EmbeddingData.Column(again, "ViewAEmbedding"));
        Assert.Equal(EmbeddingData.Column(scored, "ViewBEmbedding"), EmbeddingData.Column(again, "ViewBEmbedding"));
        Assert.Equal(EmbeddingData.Column(scored, "ViewBEmbedding"), EmbeddingData.Column(loaded.ViewB.Transform(data), "ViewBEmbedding"));
        Assert.Equal(data.Schema.Select(c => c.Name), schema.Select(c => c.Name));
    }

    [Fact]
    public void Linear_cca_inside_a_pipeline_comes_back_typed_with_an_empty_history()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(300, seed: 42);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var pipeline = ml.Transforms.CopyColumns("Left", "ViewA")
            .Append(ml.DeepLearning().Transforms.LinearCca(new LinearCcaOptions
            {
                ViewAColumnName = "Left", ViewAOutputColumnName = "LeftVariates", Components = 2,
            }));
        var fitted = pipeline.Fit(data);
        string path = Save(ml, fitted, data.Schema, "pipeline.zip");

        var fresh = new MLContext(5);
        var chain = Assert.IsType<TransformerChain<ITransformer>>(fresh.DeepLearning().Model.Load(path, out _));
        var restored = Assert.IsType<CcaModel>(chain.Last());
        var single = fresh.DeepLearning().Model.Load<CcaModel>(path, out _);

        Assert.Empty(restored.History);
        Assert.Equal(fitted.LastTransformer.CanonicalCorrelations, single.CanonicalCorrelations);
        Assert.Equal(fitted.LastTransformer.GetOnnxModel(CcaModel.ViewAOnnxModelName), single.GetOnnxModel(CcaModel.ViewAOnnxModelName));
        Assert.Equal(EmbeddingData.Column(fitted.Transform(data), "LeftVariates"), EmbeddingData.Column(chain.Transform(data), "LeftVariates"));
        Assert.Equal(EmbeddingData.Column(fitted.Transform(data), "ViewBEmbedding"), EmbeddingData.Column(chain.Transform(data), "ViewBEmbedding"));
    }

    [Fact]
    public void Loading_a_cca_model_as_another_type_fails_naming_both_types()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(100, seed: 43);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var model = ml.DeepLearning().Transforms.LinearCca().Fit(data);
        string path = Save(ml, model, data.Schema, "linear.zip");

        var e = Assert.Throws<InvalidOperationException>(() => ml.DeepLearning().Model.Load<UnrelatedTestModel>(path, out _));

        Assert.Contains($"UnrelatedTestModel ('{UnrelatedTestModel.Kind}')", e.Message);
        Assert.Contains("CcaModel ('cca')", e.Message);
    }

    [Fact]
    public void Plain_MLNET_Load_of_the_same_file_still_gives_standard_transformers()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(200, seed: 44);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var model = ml.DeepLearning().Transforms.DeepCca(CcaContextTests.Small()).Fit(data);
        string path = Save(ml, model, data.Schema, "plain.zip");

        var plain = ml.Model.Load(path, out _);

        Assert.IsNotAssignableFrom<OnnxModelTransformer>(plain);
        Assert.Equal(EmbeddingData.Column(model.Transform(data), "ViewAEmbedding"), EmbeddingData.Column(plain.Transform(data), "ViewAEmbedding"));
    }
}

/// <summary>A model type that is not a CCA model, for the message of <c>Load&lt;WrongType&gt;</c> (public: the loader
/// looks for exported model types).</summary>
public sealed class UnrelatedTestModel : OnnxModelTransformer, IOnnxModelFactory<UnrelatedTestModel>
{
    /// <summary>Its <c>mlnetext.model</c> kind.</summary>
    public const string Kind = "embeddings_tests_unrelated";

    private UnrelatedTestModel(TransformerChain<ITransformer> model, byte[] onnx) : base(model, onnx, TrainingHistory.Empty)
    {
    }

    static string IOnnxModelFactory<UnrelatedTestModel>.OnnxModelKind => Kind;

    static UnrelatedTestModel IOnnxModelFactory<UnrelatedTestModel>.Restore(MLContext context, RestoredOnnxModel parts) =>
        new(parts.Model, parts.OnnxModel);
}
