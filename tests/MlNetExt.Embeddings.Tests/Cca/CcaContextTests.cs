using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Embeddings.Tests.Triplets;
using MlNetExt.Tests.Shared;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

/// <summary>The CCA estimators made through <c>mlContext.DeepLearning()</c> use that context: its seed and its log; the
/// seed is resolved when the estimator is created.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public class CcaContextTests
{
    internal static DeepCcaOptions Small() => new()
    {
        Components = 2, EncoderOutputDimension = 3, HiddenLayers = [8], BatchSize = 100, Epochs = 3,
    };

    private static float[][] ViewA(ITransformer model, IDataView data) => EmbeddingData.Column(model.Transform(data), "ViewAEmbedding");

    [Fact]
    public void The_contexts_seed_changes_the_deep_cca_model_and_the_same_seed_repeats_it()
    {
        var (a, b) = CcaTestData.NonLinear(300, seed: 31);
        float[][] Fit(int contextSeed)
        {
            var ml = new MLContext(contextSeed);
            var data = EmbeddingData.TwoViews(ml, a, b);
            return ViewA(ml.DeepLearning().Transforms.DeepCca(Small()).Fit(data), data);
        }

        var first = Fit(1);
        Assert.Equal(first, Fit(1));
        Assert.NotEqual(first, Fit(2));
    }

    [Fact]
    public void Deep_cca_training_lines_reach_the_contexts_log()
    {
        var ml = new MLContext(3);
        var lines = ContextChecks.CaptureLog(ml);
        var (a, b) = CcaTestData.NonLinear(200, seed: 32);

        ml.DeepLearning().Transforms.DeepCca(Small()).Fit(EmbeddingData.TwoViews(ml, a, b));

        Assert.Equal(3, lines.Count(l => l.Contains("DeepCca") && l.Contains("Stage 'train' epoch")));
        Assert.Contains(lines, l => l.Contains("DeepCca") && l.Contains("Stage 'train' finished after 3 epochs"));
    }

    [Fact]
    public void Two_deep_cca_estimators_give_the_same_models_whichever_is_fitted_first()
    {
        var (a, b) = CcaTestData.NonLinear(300, seed: 33);
        var (inOrder, reversed) = ContextChecks.FitBothOrders(() =>
        {
            var ml = new MLContext(11);
            var data = EmbeddingData.TwoViews(ml, a, b);
            return (ml.DeepLearning().Transforms.DeepCca(Small()), ml.DeepLearning().Transforms.DeepCca(Small()), data);
        }, ViewA);

        Assert.Equal(inOrder.A, reversed.A);
        Assert.Equal(inOrder.B, reversed.B);
        Assert.NotEqual(inOrder.A, inOrder.B);   // each estimator drew its own seed
    }

    [Fact]
    public void Fitting_one_deep_cca_estimator_twice_gives_the_same_model_with_its_own_history()
    {
        var ml = new MLContext(12);
        var (a, b) = CcaTestData.NonLinear(300, seed: 34);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var options = Small();
        options.ValidationFraction = 0.2f;
        var estimator = ml.DeepLearning().Transforms.DeepCca(options);

        var first = estimator.Fit(data);
        var second = estimator.Fit(data);

        Assert.Equal(ViewA(first, data), ViewA(second, data));
        Assert.Equal(first.CanonicalCorrelations, second.CanonicalCorrelations);
        Assert.Equal(3, first.History.Count);
        Assert.Equal(first.History.Select(e => e.ValidationLoss), second.History.Select(e => e.ValidationLoss));
        Assert.All(first.History, e => Assert.True(e.ValidationLoss < 0, $"validation loss {e.ValidationLoss}"));
    }

    [Fact]
    public void Linear_cca_has_an_empty_history_and_a_graph_per_view()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(200, seed: 35);

        var model = ml.DeepLearning().Transforms.LinearCca("ViewA", "ViewB", components: 2).Fit(EmbeddingData.TwoViews(ml, a, b));

        Assert.Empty(model.History);
        Assert.Empty(model.History.Stages);
        Assert.Equal([CcaModel.ViewAOnnxModelName, CcaModel.ViewBOnnxModelName], model.OnnxModelNames);
        Assert.Equal("cca", model.OnnxMetadata["mlnetext.model"]);
        var e = Assert.Throws<ArgumentException>(() => model.GetOnnxModel("model"));
        Assert.Contains("'ViewA', 'ViewB'", e.Message);
    }
}
