using Microsoft.ML;
using MlNetExt.Embeddings.Cca;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

/// <summary>The CCA members replaced by the common model shape still work for one release, forwarding to the new ones.</summary>
public sealed class CcaObsoleteMembersTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-cca-obsolete-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

#pragma warning disable CS0618 // the obsolete members are what is tested
    [Fact]
    public void Old_view_exports_and_history_forward_to_the_new_members()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(200, seed: 71);
        var estimator = ml.DeepLearning().Transforms.DeepCca(CcaContextTests.Small());
        var model = estimator.Fit(EmbeddingData.TwoViews(ml, a, b));
        string pathA = Path.Combine(_folder, "a.onnx"), pathB = Path.Combine(_folder, "b.onnx");

        model.ExportViewAToOnnx(pathA);
        model.ExportViewBToOnnx(pathB);

        Assert.Equal(model.GetOnnxModel(CcaModel.ViewAOnnxModelName), File.ReadAllBytes(pathA));
        Assert.Equal(model.GetOnnxModel(CcaModel.ViewBOnnxModelName), File.ReadAllBytes(pathB));
        Assert.Equal(model.GetOnnxModel(CcaModel.ViewAOnnxModelName), model.ViewAOnnx);
        Assert.Equal(model.GetOnnxModel(CcaModel.ViewBOnnxModelName), model.ViewBOnnx);
        Assert.Same(model.Model, model.Combined);
        Assert.Same(model.History.Stages[0], estimator.LastTrainingResult);
    }
#pragma warning restore CS0618
}
