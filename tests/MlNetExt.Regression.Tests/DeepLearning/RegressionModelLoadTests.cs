using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Training;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Tests.Counts;
using MlNetExt.Regression.Tests.Gaussian;
using MlNetExt.Tests.Shared;
using Xunit;

namespace MlNetExt.Regression.Tests.DeepLearning;

/// <summary>Every Regression model saved with <c>mlContext.Model.Save</c> comes back from
/// <c>mlContext.DeepLearning().Model.Load</c> as its typed model: history, extras and identical scores.</summary>
public sealed class RegressionModelLoadTests : IDisposable
{
    private readonly SavedModelFolder _folder = new("mlnetext-load-");

    public void Dispose() => _folder.Dispose();

    private string Save(MLContext ml, ITransformer model, DataViewSchema schema, string name) => _folder.Save(ml, model, schema, name);

    private static void AssertSameHistory(TrainingHistory expected, TrainingHistory actual) =>
        TrainingHistoryAssert.Same(expected, actual, compareMetrics: true);

    [Fact]
    public void Negative_binomial_model_comes_back_with_history_dispersion_and_identical_scores()
    {
        var ml = new MLContext(1);
        var rows = CountData.NegativeBinomial(800, seed: 81, alpha: 0.5);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.DeepLearning().Regression.Trainers.NeuralNegativeBinomial(new NeuralNegativeBinomialOptions
        {
            Epochs = 3, HiddenLayers = [8], ValidationFraction = 0.25f,
        }).Fit(data);
        string path = Save(ml, model, data.Schema, "nb.zip");

        var fresh = new MLContext(99);
        var loaded = Assert.IsType<CountRegressionTransformer>(fresh.DeepLearning().Model.Load(path, out var schema));

        Assert.Equal(model.Dispersion, loaded.Dispersion);
        AssertSameHistory(model.History, loaded.History);
        Assert.NotNull(loaded.History.BestValidationLoss);
        Assert.Equal(model.OnnxInputNames, loaded.OnnxInputNames);
        Assert.Equal(model.OnnxOutputName, loaded.OnnxOutputName);
        Assert.Equal(model.OutputCount, loaded.OutputCount);
        Assert.Equal(model.GetOnnxModel(), loaded.GetOnnxModel());
        Assert.Equal("negative_binomial", loaded.OnnxMetadata["mlnetext.likelihood"]);
        var again = fresh.Data.LoadFromEnumerable(rows);
        Assert.Equal(model.Transform(data).GetColumn<float>("Score"), loaded.Transform(again).GetColumn<float>("Score"));
        Assert.Equal(data.Schema.Select(c => c.Name), schema.Select(c => c.Name));
    }

    [Fact]
    public void Poisson_model_with_vector_labels_and_exposure_inside_a_pipeline_comes_back_typed()
    {
        var ml = new MLContext(1);
        var rows = CountData.Poisson(600, seed: 82, withExposure: true);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.CopyColumns("Inputs", "Features")
            .Append(ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions
            {
                FeatureColumnName = "Inputs", ExposureColumnName = "Exposure", Epochs = 2, HiddenLayers = [8],
            }));
        var fitted = pipeline.Fit(data);
        string path = Save(ml, fitted, data.Schema, "pipeline.zip");

        var fresh = new MLContext(5);
        var loaded = fresh.DeepLearning().Model.Load(path, out _);
        var chain = Assert.IsType<TransformerChain<ITransformer>>(loaded);
        var restored = Assert.IsType<CountRegressionTransformer>(chain.Last());
        var single = fresh.DeepLearning().Model.Load<CountRegressionTransformer>(path, out _);

        Assert.Null(restored.Dispersion);
        Assert.Equal(["Inputs", "Exposure"], restored.OnnxInputNames);
        AssertSameHistory(fitted.LastTransformer.History, restored.History);
        Assert.Equal(fitted.Transform(data).GetColumn<float>("Score"), loaded.Transform(data).GetColumn<float>("Score"));
        Assert.Equal(fitted.LastTransformer.GetOnnxModel(), single.GetOnnxModel());
    }

    [Fact]
    public void Gaussian_models_with_scalar_and_vector_labels_come_back_with_history_and_identical_scores()
    {
        var ml = new MLContext(2);
        var scalarRows = HeteroscedasticData.Scalar(300, seed: 83);
        var vectorRows = HeteroscedasticData.Vector(300, seed: 84);
        var scalarData = ml.Data.LoadFromEnumerable(scalarRows);
        var vectorData = ml.Data.LoadFromEnumerable(vectorRows);
        var trainers = ml.DeepLearning().Regression.Trainers;
        var scalar = trainers.NeuralGaussian(new NeuralGaussianOptions { Epochs = 3, MeanWarmupEpochs = 1, HiddenLayers = [8] }).Fit(scalarData);
        var vector = trainers.NeuralGaussian(new NeuralGaussianOptions { Epochs = 2, HiddenLayers = [8], ValidationFraction = 0.2f }).Fit(vectorData);
        string scalarPath = Save(ml, scalar, scalarData.Schema, "scalar.zip");
        string vectorPath = Save(ml, vector, vectorData.Schema, "vector.zip");

        var fresh = new MLContext(7).DeepLearning().Model;
        var scalarLoaded = fresh.Load<NeuralGaussianTransformer>(scalarPath, out _);
        var vectorLoaded = Assert.IsType<NeuralGaussianTransformer>(fresh.Load(vectorPath, out _));

        AssertSameHistory(scalar.History, scalarLoaded.History);
        Assert.Equal(["mean warm-up", "beta-nll"], scalarLoaded.History.Stages.Select(s => s.Stage));
        AssertSameHistory(vector.History, vectorLoaded.History);
        // The portable graph is exported again from the saved weights: the same bytes as the fitted model's.
        Assert.Equal(scalar.GetOnnxModel(), scalarLoaded.GetOnnxModel());
        Assert.Equal(vector.GetOnnxModel(), vectorLoaded.GetOnnxModel());
        Assert.Equal(2, vectorLoaded.OutputCount);
        Assert.Equal(scalar.Transform(scalarData).GetColumn<float>("ScoreStdDev"), scalarLoaded.Transform(scalarData).GetColumn<float>("ScoreStdDev"));
        Assert.Equal(vector.Transform(vectorData).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()),
            vectorLoaded.Transform(vectorData).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()));
    }

    [Fact]
    public void Loading_a_model_of_another_type_fails_naming_both_types()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(CountData.Poisson(200, seed: 85));
        var model = ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { Epochs = 1, HiddenLayers = [4] }).Fit(data);
        string path = Save(ml, model, data.Schema, "counts.zip");

        var e = Assert.Throws<InvalidOperationException>(() => ml.DeepLearning().Model.Load<NeuralGaussianTransformer>(path, out _));

        Assert.Contains("NeuralGaussianTransformer ('gaussian_regression')", e.Message);
        Assert.Contains("CountRegressionTransformer ('count_regression')", e.Message);
    }

    [Fact]
    public void Plain_MLNET_Load_of_the_same_file_still_gives_standard_transformers()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(CountData.Poisson(200, seed: 86));
        var model = ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { Epochs = 1, HiddenLayers = [4] }).Fit(data);
        string path = Save(ml, model, data.Schema, "plain.zip");

        var plain = ml.Model.Load(path, out _);

        Assert.IsNotAssignableFrom<OnnxModelTransformer>(plain);
        Assert.Equal(model.Transform(data).GetColumn<float>("Score"), plain.Transform(data).GetColumn<float>("Score"));
    }

    [Fact]
    public void DeepLearning_Model_Save_writes_a_zip_that_loads_back_typed()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(CountData.Poisson(200, seed: 87));
        var model = ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { Epochs = 1, HiddenLayers = [4] }).Fit(data);
        string path = Path.Combine(_folder.FullName, "saved.zip");

        ml.DeepLearning().Model.Save(model, data.Schema, path);

        Assert.Single(Directory.GetFiles(_folder.FullName));   // no temporary file left beside it
        Assert.IsType<CountRegressionTransformer>(ml.DeepLearning().Model.Load(path, out _));
    }
}
