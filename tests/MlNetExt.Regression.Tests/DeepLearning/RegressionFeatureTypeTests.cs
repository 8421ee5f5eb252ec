using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Transforms;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Tests.Counts;
using MlNetExt.Regression.Tests.Gaussian;
using MlNetExt.Tests.Shared;
using Xunit;

namespace MlNetExt.Regression.Tests.DeepLearning;

/// <summary>Feature and exposure columns of Double, integer or Boolean values train and score as their Single copies do:
/// the model's chain converts them to Single (ConvertType) before the exported graph, and that chain survives saving,
/// typed loading, continue training and whole-pipeline ONNX export.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public sealed class RegressionFeatureTypeTests : IDisposable
{
    private readonly SavedModelFolder _folder = new("mlnetext-types-");

    public void Dispose() => _folder.Dispose();

    private sealed class IntegerFeatureRow
    {
        [VectorType(3)] public int[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private sealed class TextFeatureRow
    {
        public string Features { get; set; } = "";
        public float Label { get; set; }
    }

    private static IDataView AsDouble(MLContext ml, IDataView data, params string[] columns) =>
        ml.Transforms.Conversion.ConvertType(columns.Select(c => new InputOutputColumnPair(c)).ToArray(), DataKind.Double).Fit(data).Transform(data);

    [Fact]
    public void Double_features_and_exposure_train_the_same_count_model_as_Single_and_it_saves_loads_and_continues()
    {
        var ml = new MLContext(1);
        var singles = ml.Data.LoadFromEnumerable(CountData.Poisson(400, seed: 171, withExposure: true));
        var doubles = AsDouble(ml, singles, "Features", "Exposure");
        var options = new NeuralPoissonOptions { ExposureColumnName = "Exposure", Epochs = 3, HiddenLayers = [8], Seed = 5 };
        var trainer = ml.DeepLearning().Regression.Trainers.NeuralPoisson(options);

        var fromSingles = trainer.Fit(singles);
        var fromDoubles = trainer.Fit(doubles);

        Assert.Equal(fromSingles.History.Select(e => e.TrainLoss), fromDoubles.History.Select(e => e.TrainLoss));
        var expected = fromSingles.Transform(singles).GetColumn<float>("Score").ToArray();
        // Batched scoring (the model's Transform) and the chain row by row each give the Single model's scores (the two
        // paths may differ from each other in the last bit: ONNX Runtime picks other kernels for a batch).
        Assert.Equal(expected, fromDoubles.Transform(doubles).GetColumn<float>("Score"));
        Assert.Equal(fromSingles.Model.Transform(singles).GetColumn<float>("Score"), fromDoubles.Model.Transform(doubles).GetColumn<float>("Score"));
        // The Single model's chain is ApplyOnnxModel first, as before; the Double one converts both inputs first.
        Assert.IsNotType<TypeConvertingTransformer>(fromSingles.Model.First());
        Assert.Equal(2, fromDoubles.Model.Count(t => t is TypeConvertingTransformer));

        string path = _folder.Save(ml, fromDoubles, doubles.Schema, "poisson-double.zip");
        var fresh = new MLContext(2);
        var loaded = Assert.IsType<CountRegressionTransformer>(fresh.DeepLearning().Model.Load(path, out _));
        var typed = fresh.DeepLearning().Model.Load<CountRegressionTransformer>(path, out _);
        Assert.Equal(expected, loaded.Transform(doubles).GetColumn<float>("Score"));
        Assert.Equal(expected, typed.Transform(doubles).GetColumn<float>("Score"));
        Assert.Equal(fromDoubles.History.Select(e => e.TrainLoss), loaded.History.Select(e => e.TrainLoss));

        // Continue training from the loaded model on the Double data.
        var continued = ml.DeepLearning().Regression.Trainers.NeuralPoisson(options).Fit(doubles, loaded);
        Assert.True(continued.History[0].TrainLoss < fromDoubles.History[0].TrainLoss);
        Assert.Equal(400, continued.Transform(doubles).GetColumn<float>("Score").Count(float.IsFinite));
    }

    [Fact]
    public void Double_features_train_the_same_Gaussian_model_as_Single_and_it_loads_typed()
    {
        var ml = new MLContext(1);
        var singles = ml.Data.LoadFromEnumerable(HeteroscedasticData.Scalar(300, seed: 172));
        var doubles = AsDouble(ml, singles, "Features");
        var options = new NeuralGaussianOptions { Epochs = 2, HiddenLayers = [8], Seed = 5 };

        var fromSingles = ml.DeepLearning().Regression.Trainers.NeuralGaussian(options).Fit(singles);
        var fromDoubles = ml.DeepLearning().Regression.Trainers.NeuralGaussian(options).Fit(doubles);

        Assert.Equal(fromSingles.History.Select(e => e.TrainLoss), fromDoubles.History.Select(e => e.TrainLoss));
        var expected = fromSingles.Transform(singles);
        var scored = fromDoubles.Transform(doubles);
        Assert.Equal(expected.GetColumn<float>("Score"), scored.GetColumn<float>("Score"));
        Assert.Equal(expected.GetColumn<float>("ScoreStdDev"), scored.GetColumn<float>("ScoreStdDev"));

        string path = _folder.Save(ml, fromDoubles, doubles.Schema, "gaussian-double.zip");
        var loaded = new MLContext(2).DeepLearning().Model.Load<NeuralGaussianTransformer>(path, out _);
        Assert.Equal(expected.GetColumn<float>("Score"), loaded.Transform(doubles).GetColumn<float>("Score"));
        Assert.Equal(expected.GetColumn<float>("ScoreStdDev"), loaded.Transform(doubles).GetColumn<float>("ScoreStdDev"));
    }

    [Fact]
    public void Integer_features_score_as_their_Single_values()
    {
        var ml = new MLContext(1);
        var rows = CountData.Poisson(300, seed: 173);
        foreach (var row in rows)
            row.Features = row.Features.Select(v => MathF.Round(3 * v)).ToArray();
        var singles = ml.Data.LoadFromEnumerable(rows);
        var integers = ml.Data.LoadFromEnumerable(rows.Select(r => new IntegerFeatureRow { Features = r.Features.Select(v => (int)v).ToArray(), Label = r.Label }));
        var options = new NeuralPoissonOptions { Epochs = 2, HiddenLayers = [4], Seed = 5 };

        var fromSingles = ml.DeepLearning().Regression.Trainers.NeuralPoisson(options).Fit(singles);
        var fromIntegers = ml.DeepLearning().Regression.Trainers.NeuralPoisson(options).Fit(integers);

        Assert.Equal(fromSingles.Transform(singles).GetColumn<float>("Score"), fromIntegers.Transform(integers).GetColumn<float>("Score"));
    }

    [Fact]
    public void A_text_feature_column_is_refused_naming_the_column_and_the_accepted_types()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new TextFeatureRow { Features = "a", Label = i % 3 }));

        var counts = Assert.Throws<ArgumentException>(() =>
            ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { Epochs = 1 }).Fit(data));
        var gaussian = Assert.Throws<ArgumentException>(() =>
            ml.DeepLearning().Regression.Trainers.NeuralGaussian(new NeuralGaussianOptions { Epochs = 1 }).Fit(data));

        foreach (var e in new[] { counts, gaussian })
        {
            Assert.Contains("Feature column 'Features'", e.Message);
            Assert.Contains("Single, Double, an integer type or Boolean", e.Message);
            Assert.Contains("String", e.Message);
        }
    }

    [Fact]
    public void A_pipeline_over_Double_features_exports_to_ONNX_with_a_Double_input_that_scores_as_the_model()
    {
        var ml = new MLContext(1);
        var rows = CountData.Poisson(300, seed: 174);
        var doubles = AsDouble(ml, ml.Data.LoadFromEnumerable(rows), "Features");
        var model = ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { Epochs = 2, HiddenLayers = [4], Seed = 5 }).Fit(doubles);

        using var stream = new MemoryStream();
        // Only the features are the exported model's input (the label is not needed to score).
        var features = ml.Transforms.SelectColumns("Features").Fit(doubles).Transform(doubles);
        ml.DeepLearning().Model.ExportToOnnx(model, features, stream);
        using var session = new InferenceSession(stream.ToArray());
        Assert.Equal(typeof(double), session.InputMetadata["Features"].ElementType);
        var input = new DenseTensor<double>(rows.SelectMany(r => r.Features.Select(v => (double)v)).ToArray(), [rows.Length, 3]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", input)]);
        var exported = results.Single(r => r.Name == "Score.output").AsTensor<float>().ToArray();

        var expected = model.Transform(doubles).GetColumn<float>("Score").ToArray();
        Assert.Equal(expected.Length, exported.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - exported[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"row {i}: {expected[i]} vs {exported[i]}");
    }
}
