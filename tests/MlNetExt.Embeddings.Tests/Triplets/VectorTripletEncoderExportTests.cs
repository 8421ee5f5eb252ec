using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetExt.Embeddings.Triplets;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Triplets;

public class VectorTripletEncoderExportTests
{
    private static (float[][] X, string[] Y) Data(int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, 48).Select(i => Enumerable.Range(0, 10).Select(j => (float)(random.NextDouble() + (j == i % 4 ? 2 : 0))).ToArray()).ToArray();
        var y = Enumerable.Range(0, 48).Select(i => "c" + (i % 4)).ToArray();
        return (x, y);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Mlp_encoder_file_in_onnx_runtime_matches_the_pipeline(int epochs)
    {
        var ml = new MLContext(1);
        var (x, y) = Data(1);
        var data = EmbeddingData.Labelled(ml, x, y);
        var estimator = new TripletEmbeddingEstimator(ml, new TripletEmbeddingOptions
        {
            FeatureColumnName = "Embedding", OutputColumnName = "Learned", EmbeddingDimension = 6, HiddenLayers = new[] { 16 },
            Epochs = epochs, ClassesPerBatch = 4, ExamplesPerClass = 4, Seed = 2,
        });
        var model = estimator.Fit(data);
        Assert.Equal(epochs, model.History.Count);
        Assert.Equal("Embedding", model.EncoderInputName);
        Assert.Equal(10, model.EncoderInputWidth);

        var path = Path.Combine(Path.GetTempPath(), $"triplet-mlp-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportToOnnx(path);
            using var session = new InferenceSession(path);
            using var results = session.Run(new[]
            {
                NamedOnnxValue.CreateFromTensor("Embedding", new DenseTensor<float>(x.SelectMany(r => r).ToArray(), new[] { x.Length, 10 })),
            });
            var onnx = results.Single(r => r.Name == "Learned").AsTensor<float>().ToArray();
            var pipeline = EmbeddingData.Column(model.Model.Transform(data), "Learned");
            for (int i = 0; i < x.Length; i++)
                for (int k = 0; k < 6; k++)
                    Assert.Equal(pipeline[i][k], onnx[i * 6 + k], 5);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
