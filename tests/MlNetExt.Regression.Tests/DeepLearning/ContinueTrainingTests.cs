using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Evaluation;
using MlNetExt.Regression.Uncertainty;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Tests.Counts;
using MlNetExt.Regression.Tests.Gaussian;
using Xunit;

namespace MlNetExt.Regression.Tests.DeepLearning;

/// <summary><c>trainer.Fit(newData, initialModel)</c> rebuilds the network from the model and trains it further.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class ContinueTrainingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-continue-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static NeuralPoissonOptions Poisson(int epochs) => new() { Epochs = epochs, HiddenLayers = [16], BatchSize = 128, LearningRate = 5e-3f };

    [Fact]
    public void Continuing_a_Poisson_model_on_new_data_lowers_its_loss_there_and_keeps_the_schema()
    {
        var ml = new MLContext(1);
        var first = ml.Data.LoadFromEnumerable(CountData.Poisson(1500, seed: 91));
        var next = ml.Data.LoadFromEnumerable(CountData.Poisson(1500, seed: 92));
        var trainers = ml.DeepLearning().Regression.Trainers;
        var initial = trainers.NeuralPoisson(Poisson(epochs: 2)).Fit(first);
        var continuing = trainers.NeuralPoisson(Poisson(epochs: 4));

        var continued = continuing.Fit(next, initial);
        var scratch = continuing.Fit(next);

        double before = ml.Regression.EvaluateCounts(initial.Transform(next)).MeanNegativeLogLikelihood;
        double after = ml.Regression.EvaluateCounts(continued.Transform(next)).MeanNegativeLogLikelihood;
        output.WriteLine($"Poisson NLL on the new data: {before:F4} before, {after:F4} after continuing; first-epoch loss "
            + $"{continued.History[0].TrainLoss:F4} continued vs {scratch.History[0].TrainLoss:F4} from scratch");
        Assert.True(after < before - 0.01, $"NLL on the new data: {before:F4} before, {after:F4} after continuing");
        // It started from the initial model's weights: its first epoch is already better than a fresh network's.
        Assert.True(continued.History[0].TrainLoss < scratch.History[0].TrainLoss - 0.01,
            $"first-epoch loss {continued.History[0].TrainLoss:F4} continued vs {scratch.History[0].TrainLoss:F4} from scratch");
        Assert.Equal(initial.GetOutputSchema(next.Schema).Select(c => (c.Name, c.Type.ToString())),
            continued.GetOutputSchema(next.Schema).Select(c => (c.Name, c.Type.ToString())));
        Assert.Equal(initial.OnnxInputNames, continued.OnnxInputNames);
    }

    [Fact]
    public void A_model_loaded_with_DeepLearning_Load_continues_exactly_like_the_fitted_one()
    {
        var ml = new MLContext(1);
        var first = ml.Data.LoadFromEnumerable(CountData.NegativeBinomial(1000, seed: 93, alpha: 0.5));
        var next = ml.Data.LoadFromEnumerable(CountData.NegativeBinomial(1000, seed: 94, alpha: 0.5));
        var trainers = ml.DeepLearning().Regression.Trainers;
        var initial = trainers.NeuralNegativeBinomial(new NeuralNegativeBinomialOptions { Epochs = 2, HiddenLayers = [8] }).Fit(first);
        string path = Path.Combine(_folder, "nb.zip");
        ml.Model.Save(initial, first.Schema, path);
        var loaded = new MLContext(3).DeepLearning().Model.Load<CountRegressionTransformer>(path, out _);
        var continuing = trainers.NeuralNegativeBinomial(new NeuralNegativeBinomialOptions { Epochs = 2, HiddenLayers = [8] });

        var fromFitted = continuing.Fit(next, initial);
        var fromLoaded = continuing.Fit(next, loaded);

        Assert.Equal(fromFitted.Transform(next).GetColumn<float>("Score"), fromLoaded.Transform(next).GetColumn<float>("Score"));
        Assert.Equal(fromFitted.Dispersion, fromLoaded.Dispersion);
        Assert.NotEqual(initial.Dispersion, fromFitted.Dispersion);
    }

    [Fact]
    public void Continuing_a_Gaussian_model_lowers_its_loss_on_new_data()
    {
        var ml = new MLContext(1);
        var first = ml.Data.LoadFromEnumerable(HeteroscedasticData.Scalar(800, seed: 95));
        var next = ml.Data.LoadFromEnumerable(HeteroscedasticData.Scalar(800, seed: 96));
        var trainers = ml.DeepLearning().Regression.Trainers;
        var initial = trainers.NeuralGaussian(new NeuralGaussianOptions { Epochs = 2, HiddenLayers = [16], LearningRate = 3e-3f }).Fit(first);
        string path = Path.Combine(_folder, "gaussian.zip");
        ml.Model.Save(initial, first.Schema, path);
        var loaded = ml.DeepLearning().Model.Load<NeuralGaussianTransformer>(path, out _);

        var continued = trainers.NeuralGaussian(new NeuralGaussianOptions { Epochs = 6, HiddenLayers = [16], LearningRate = 3e-3f }).Fit(next, loaded);

        double before = ml.Regression.EvaluateUncertainty(initial.Transform(next)).MeanNegativeLogLikelihood;
        double after = ml.Regression.EvaluateUncertainty(continued.Transform(next)).MeanNegativeLogLikelihood;
        output.WriteLine($"Gaussian NLL on the new data: {before:F4} before, {after:F4} after continuing");
        Assert.True(after < before - 0.02, $"NLL on the new data: {before:F4} before, {after:F4} after continuing");
        Assert.Equal(initial.OutputCount, continued.OutputCount);
    }

    [Fact]
    public void Continuing_on_data_of_another_width_names_the_column_and_both_sizes()
    {
        var ml = new MLContext(1);
        var counts = ml.Data.LoadFromEnumerable(CountData.MultiPoisson(200, seed: 97));
        var options = Poisson(epochs: 1);
        options.LabelColumnName = "Counts";
        var initial = ml.DeepLearning().Regression.Trainers.NeuralPoisson(options).Fit(counts);
        var scalar = ml.Data.LoadFromEnumerable(CountData.Poisson(200, seed: 98));

        var e = Assert.Throws<ArgumentException>(() => ml.DeepLearning().Regression.Trainers.NeuralPoisson(Poisson(epochs: 1)).Fit(scalar, initial));

        Assert.Contains("Label column 'Label' has 1 values per row", e.Message);
        Assert.Contains("predicts 4 outputs", e.Message);
    }
}
