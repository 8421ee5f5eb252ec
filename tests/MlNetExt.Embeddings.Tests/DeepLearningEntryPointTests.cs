using Microsoft.ML;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Tests.Cca;
using Xunit;

namespace MlNetExt.Embeddings.Tests;

/// <summary>The Embeddings entry points on <c>mlContext.DeepLearning()</c> build the same estimators and evaluator as the
/// ML.NET catalog shortcuts, on the user's context.</summary>
public class DeepLearningEntryPointTests
{
    [Fact]
    public void LinearCca_through_DeepLearning_fits_the_same_model()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(400, seed: 5);
        var data = EmbeddingData.TwoViews(ml, a, b);

        var viaDeepLearning = ml.DeepLearning().Transforms.LinearCca("ViewA", "ViewB", components: 2).Fit(data);
        var viaTransforms = ml.Transforms.LinearCca("ViewA", "ViewB", components: 2).Fit(data);

        Assert.Equal(viaTransforms.CanonicalCorrelations, viaDeepLearning.CanonicalCorrelations);
        Assert.Equal(EmbeddingData.Column(viaTransforms.Transform(data), "ViewAEmbedding"),
            EmbeddingData.Column(viaDeepLearning.Transform(data), "ViewAEmbedding"));
    }

    [Fact]
    public void Embeddings_Evaluate_gives_the_figures_of_EvaluateEmbeddings()
    {
        var ml = new MLContext(1);
        var random = new Random(3);
        var labels = Enumerable.Range(0, 40).Select(i => $"c{i % 4}").ToArray();
        var points = labels.Select(l => new[] { l[1] - '0' + (float)random.NextDouble(), (float)random.NextDouble() }).ToArray();
        var data = EmbeddingData.Labelled(ml, points, labels);

        var viaDeepLearning = ml.DeepLearning().Embeddings.Evaluate(data);
        var viaContext = ml.EvaluateEmbeddings(data);

        Assert.Equal(viaContext.RecallAt1, viaDeepLearning.RecallAt1);
        Assert.Equal(viaContext.MeanAveragePrecisionAtR, viaDeepLearning.MeanAveragePrecisionAtR);
    }
}
