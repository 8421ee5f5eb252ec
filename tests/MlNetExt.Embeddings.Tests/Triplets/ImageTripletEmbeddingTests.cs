using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Triplets;

[Collection(nameof(TorchGlobalRandomCollection))]
public class ImageTripletEmbeddingTests(FashionTripletFixture fixture) : IClassFixture<FashionTripletFixture>
{
    [Fact]
    public void Validation_metrics_of_each_epoch_match_the_evaluator_on_the_final_model()
    {
        var history = fixture.Trained.TripletEpochs;
        Assert.Equal(10, history.Count);
        Assert.All(history, h => Assert.NotNull(h.ValidationMapAtR));
        var evaluated = fixture.Ml.EvaluateEmbeddings(fixture.Trained.Model.Transform(fixture.HeldOut), "Embedding", "Label");
        Assert.Equal(evaluated.MeanAveragePrecisionAtR, history[^1].ValidationMapAtR!.Value, 3);
        Assert.Equal(evaluated.RecallAt1, history[^1].ValidationRecallAt1!.Value, 2);
        Assert.True(history[^1].ValidationMapAtR > history[0].ValidationMapAtR);
    }

    [Fact]
    public void Image_triplet_training_beats_the_untrained_network_on_held_out_images()
    {
        var ml = fixture.Ml;
        var trained = ml.EvaluateEmbeddings(fixture.Trained.Model.Transform(fixture.HeldOut), "Embedding", "Label");
        var untrained = ml.EvaluateEmbeddings(fixture.Untrained.Model.Transform(fixture.HeldOut), "Embedding", "Label");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"train {fixture.TrainSeconds:F1} s\ntrained   {trained}\nuntrained {untrained}\nlast epoch {fixture.Trained.History[^1]}");

        Assert.Equal(10, fixture.Trained.History.Count);
        Assert.Empty(fixture.Untrained.History);
        Assert.True(trained.RecallAt1 > untrained.RecallAt1 + 0.1,
            $"recall@1 trained {trained.RecallAt1:F3} vs untrained {untrained.RecallAt1:F3}");
        Assert.True(trained.MeanAveragePrecisionAtR > untrained.MeanAveragePrecisionAtR + 0.2,
            $"MAP@R trained {trained.MeanAveragePrecisionAtR:F3} vs untrained {untrained.MeanAveragePrecisionAtR:F3}");
        Assert.Empty(fixture.Trained.CollapseWarnings);
    }

    [Fact]
    public void Image_embeddings_are_unit_vectors_and_the_model_keeps_only_the_embedding_column()
    {
        var scored = fixture.Trained.Model.Transform(fixture.HeldOut);
        var embeddings = EmbeddingData.Column(scored, "Embedding");
        Assert.Equal(fixture.HeldOutImages.Count, embeddings.Length);
        Assert.All(embeddings, e =>
        {
            Assert.Equal(32, e.Length);
            Assert.Equal(1.0, Math.Sqrt(e.Sum(v => (double)v * v)), 4);
        });
        Assert.Null(scored.Schema.GetColumnOrNull("TripletEmbedding.Pixels"));
        Assert.Null(scored.Schema.GetColumnOrNull("TripletEmbedding.Resized"));
    }

    [Fact]
    public void Saved_and_loaded_image_model_gives_identical_embeddings()
    {
        var ml = fixture.Ml;
        var expected = EmbeddingData.Column(fixture.Trained.Model.Transform(fixture.HeldOut), "Embedding");
        var path = Path.Combine(Path.GetTempPath(), $"triplet-image-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(fixture.Trained.Model, fixture.Train.Schema, path);
            var loaded = new MLContext(5).Model.Load(path, out _);
            Assert.Equal(expected, EmbeddingData.Column(loaded.Transform(fixture.HeldOut), "Embedding"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Exported_encoder_in_onnx_runtime_matches_the_ml_net_pipeline()
    {
        var model = fixture.Trained;
        var path = Path.Combine(Path.GetTempPath(), $"triplet-encoder-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportToOnnx(path);
            Assert.Equal(model.GetOnnxModel(), File.ReadAllBytes(path));
            int n = 16;
            int area = 28 * 28;
            Assert.Equal(3 * area, model.EncoderInputWidth);
            var pixels = new float[n * 3 * area];
            for (int i = 0; i < n; i++)
            {
                var gray = fixture.HeldOutImages.Images[i];
                for (int c = 0; c < 3; c++)
                    for (int j = 0; j < area; j++)
                        pixels[(i * 3 + c) * area + j] = gray[j];
            }
            using var session = new InferenceSession(path);
            using var results = session.Run(new[]
            {
                NamedOnnxValue.CreateFromTensor(model.EncoderInputName, new DenseTensor<float>(pixels, new[] { n, 3 * area })),
            });
            var onnx = results.Single(r => r.Name == model.EncoderOutputName).AsTensor<float>().ToArray();
            var pipeline = EmbeddingData.Column(fixture.Trained.Model.Transform(fixture.HeldOut), "Embedding");
            for (int i = 0; i < n; i++)
                for (int k = 0; k < 32; k++)
                    Assert.Equal(pipeline[i][k], onnx[i * 32 + k], 5);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
