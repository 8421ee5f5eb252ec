using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetExt.Embeddings.Cca;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

public class CcaOnnxExportTests
{
    [Fact]
    public void Exported_view_encoders_agree_with_the_ML_NET_pipeline_in_ONNX_Runtime()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(300, seed: 11);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var model = ml.Transforms.DeepCca(new DeepCcaOptions { Components = 2, HiddenLayers = new[] { 16 }, Epochs = 3, Seed = 1 }).Fit(data);
        var scored = model.Transform(data);
        var directory = Path.Combine(Path.GetTempPath(), $"cca-onnx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            foreach (var (view, rows, export, output) in new[]
            {
                ("ViewA", a, (Action<string>)(path => model.ExportToOnnx(path, CcaModel.ViewAOnnxModelName)), "ViewAEmbedding"),
                ("ViewB", b, (Action<string>)(path => model.ExportToOnnx(path, CcaModel.ViewBOnnxModelName)), "ViewBEmbedding"),
            })
            {
                var path = Path.Combine(directory, view + ".onnx");
                export(path);
                using var session = new InferenceSession(path);
                int width = rows[0].Length;
                var input = new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), new[] { rows.Length, width });
                using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(view, input) });
                var onnx = results.Single(r => r.Name == output).AsTensor<float>().ToArray();
                var pipeline = EmbeddingData.Column(scored, output);
                Assert.Equal(rows.Length * 2, onnx.Length);
                for (int i = 0; i < rows.Length; i++)
                    for (int k = 0; k < 2; k++)
                        Assert.Equal(pipeline[i][k], onnx[i * 2 + k], 4);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
