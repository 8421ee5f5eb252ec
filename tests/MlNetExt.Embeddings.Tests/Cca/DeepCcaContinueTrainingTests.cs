using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Embeddings.Tests.Triplets;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

/// <summary><c>DeepCcaEstimator.Fit(data, initialModel)</c> trains a fitted or loaded deep CCA model further.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class DeepCcaContinueTrainingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-cca-continue-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static DeepCcaOptions Options(int epochs) => new()
    {
        Components = 2, HiddenLayers = [16], BatchSize = 100, Epochs = epochs, LearningRate = 5e-3f,
        Optimizer = OptimizerKind.Adam, Seed = 3,
    };

    /// <summary>The DCCA objective of a model's encoders on <paramref name="data"/>: the total canonical correlation of its two
    /// outputs there. (With as many components as encoder outputs the model's final projection is invertible, so a linear
    /// CCA of the outputs on these rows reaches what the encoders reach; both models are measured the same way.)</summary>
    private static double TotalCorrelation(MLContext ml, CcaModel model, IDataView data)
    {
        var scored = model.Transform(data);
        return ml.DeepLearning().Transforms.LinearCca(new LinearCcaOptions
        {
            ViewAColumnName = "ViewAEmbedding", ViewBColumnName = "ViewBEmbedding",
            ViewAOutputColumnName = "A", ViewBOutputColumnName = "B", Components = 2,
        }).Fit(scored).CanonicalCorrelations.Sum();
    }

    [Fact]
    public void Continuing_a_loaded_model_on_new_data_raises_its_correlation_there_and_keeps_the_schema()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(400, seed: 51);
        var (na, nb) = CcaTestData.NonLinear(400, seed: 52);
        var first = EmbeddingData.TwoViews(ml, a, b);
        var next = EmbeddingData.TwoViews(ml, na, nb);
        var initial = ml.DeepLearning().Transforms.DeepCca(Options(epochs: 10)).Fit(first);
        string path = Path.Combine(_folder, "initial.zip");
        ml.DeepLearning().Model.Save(initial, first.Schema, path);
        var loaded = ml.DeepLearning().Model.Load<CcaModel>(path, out _);

        var continued = ml.DeepLearning().Transforms.DeepCca(Options(epochs: 10)).Fit(next, loaded);

        double before = TotalCorrelation(ml, initial, next), after = TotalCorrelation(ml, continued, next);
        TestContext.Current.TestOutputHelper?.WriteLine($"total correlation on the new data: initial {before:F3}, continued {after:F3}");
        Assert.True(after > before + 0.05, $"initial {before:F3}, continued {after:F3}");
        // It started from the initial weights: its first epoch's loss is well below that of a fresh start with the same seed.
        var fresh = ml.DeepLearning().Transforms.DeepCca(Options(epochs: 1)).Fit(next);
        Assert.True(continued.History[0].TrainLoss < fresh.History[0].TrainLoss - 0.05,
            $"continued first epoch {continued.History[0].TrainLoss:F3}, fresh first epoch {fresh.History[0].TrainLoss:F3}");
        var schema = initial.GetOutputSchema(next.Schema);
        Assert.Equal(schema.Select(c => (c.Name, c.Type.ToString())), continued.GetOutputSchema(next.Schema).Select(c => (c.Name, c.Type.ToString())));
        Assert.Equal(initial.OnnxMetadata["mlnetext.architecture"], continued.OnnxMetadata["mlnetext.architecture"]);
        Assert.Equal(10, continued.History.Count);
    }

    [Fact]
    public void Continuing_with_a_negligible_learning_rate_keeps_the_initial_encoders()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(300, seed: 56);
        var (na, nb) = CcaTestData.NonLinear(300, seed: 57);
        var next = EmbeddingData.TwoViews(ml, na, nb);
        var initial = ml.DeepLearning().Transforms.DeepCca(Options(epochs: 5)).Fit(EmbeddingData.TwoViews(ml, a, b));
        var options = Options(epochs: 1);
        options.LearningRate = 1e-9f;

        var continued = ml.DeepLearning().Transforms.DeepCca(options).Fit(next, initial);

        // Only the final linear CCA is fitted again (on the new rows); the encoders reach exactly what the initial ones reach.
        Assert.Equal(TotalCorrelation(ml, initial, next), TotalCorrelation(ml, continued, next), 4);
    }

    [Fact]
    public void Continuing_with_another_view_width_names_the_column_and_both_sizes()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(200, seed: 53);
        var initial = ml.DeepLearning().Transforms.DeepCca(Options(epochs: 1)).Fit(EmbeddingData.TwoViews(ml, a, b));
        var (wide, _) = CcaTestData.Linear(200, seed: 54);   // 4 values per row instead of 3

        var e = Assert.Throws<ArgumentException>(() =>
            ml.DeepLearning().Transforms.DeepCca(Options(epochs: 1)).Fit(EmbeddingData.TwoViews(ml, wide, b), initial));

        Assert.Contains("'ViewA'", e.Message);
        Assert.Contains("4 values per row", e.Message);
        Assert.Contains("trained on 3", e.Message);
    }

    [Fact]
    public void A_custom_encoder_continues_with_its_factory_and_without_it_the_message_names_the_option()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(200, seed: 58);
        var data = EmbeddingData.TwoViews(ml, a, b);
        Func<int, int, TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>> factory =
            (input, output) => TorchSharp.torch.nn.Sequential(("proj", TorchSharp.torch.nn.Linear(input, output)), ("act", TorchSharp.torch.nn.Tanh()));
        var options = Options(epochs: 2);
        options.ViewAEncoderFactory = factory;
        var initial = ml.DeepLearning().Transforms.DeepCca(options).Fit(data);

        var e = Assert.Throws<ArgumentException>(() => ml.DeepLearning().Transforms.DeepCca(Options(epochs: 1)).Fit(data, initial));
        var continued = ml.DeepLearning().Transforms.DeepCca(options).Fit(data, initial);

        Assert.Contains("ViewAEncoderFactory", e.Message);
        Assert.Equal(initial.OnnxMetadata["mlnetext.architecture"], continued.OnnxMetadata["mlnetext.architecture"]);
        Assert.Contains("\"custom\"", continued.OnnxMetadata["mlnetext.architecture"]);
    }

    [Fact]
    public void Continuing_from_a_linear_cca_model_says_it_has_no_encoders()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(200, seed: 55);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var linear = ml.DeepLearning().Transforms.LinearCca().Fit(data);

        var e = Assert.Throws<ArgumentException>(() => ml.DeepLearning().Transforms.DeepCca(Options(epochs: 1)).Fit(data, linear));

        Assert.Contains("linear CCA model", e.Message);
    }
}
