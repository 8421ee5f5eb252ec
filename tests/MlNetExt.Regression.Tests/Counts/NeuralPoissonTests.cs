using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Evaluation;
using Xunit;

namespace MlNetExt.Regression.Tests.Counts;

public class NeuralPoissonTests
{
    private static NeuralPoissonOptions Options(int epochs = 25) => new() { Epochs = epochs, Seed = 1, HiddenLayers = [32, 32] };

    [Fact]
    public void Fit_recovers_nonlinear_rates_close_to_the_true_model_and_works_with_Regression_Evaluate()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(CountData.Poisson(4000, seed: 1));
        var test = ml.Data.LoadFromEnumerable(CountData.Poisson(2000, seed: 2));

        var model = ml.Regression.Trainers.NeuralPoisson(Options()).Fit(train);
        var scored = model.Transform(test);

        var fitted = ml.Regression.EvaluateCounts(scored);
        var truth = ml.Regression.EvaluateCounts(test, scoreColumnName: "TrueRate");
        var linear = ml.Regression.EvaluateCounts(ml.Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { Epochs = 25, Seed = 1, HiddenLayers = [] }).Fit(train).Transform(test));
        Assert.True(truth.DevianceExplained > 0.3, $"simulation too weak: {truth.DevianceExplained}");
        Assert.True(fitted.DevianceExplained > truth.DevianceExplained - 0.05, $"fitted {fitted.DevianceExplained:F3} vs true {truth.DevianceExplained:F3}");
        Assert.True(fitted.DevianceExplained > linear.DevianceExplained + 0.03, $"fitted {fitted.DevianceExplained:F3} vs linear {linear.DevianceExplained:F3}");

        // Score is a plain float, so ML.NET's own regression evaluator works on it.
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        var standard = ml.Regression.Evaluate(scored);
        Assert.True(standard.RSquared > 0.2, $"R² {standard.RSquared}");
        // The reported training loss is the true mean NLL (ln k! included): close to the evaluator's on training data.
        var trainNll = ml.Regression.EvaluateCounts(model.Transform(train)).MeanNegativeLogLikelihood;
        Assert.Equal(trainNll, model.History[^1].TrainLoss, 1);
    }

    [Fact]
    public void Vector_labels_save_and_load_in_a_fresh_context_with_identical_scores()
    {
        var ml = new MLContext(1);
        var rows = CountData.MultiPoisson(3000, seed: 3);
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = Options(15);
        options.LabelColumnName = "Counts";

        var model = ml.Regression.Trainers.NeuralPoisson(options).Fit(data);
        var scores = model.Transform(data).GetColumn<VBuffer<float>>("Score").Take(200).Select(v => v.DenseValues().ToArray()).ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"counts-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var fresh = new MLContext(99);
            var loaded = fresh.Model.Load(path, out var schema);
            var reloaded = loaded.Transform(fresh.Data.LoadFromEnumerable(rows)).GetColumn<VBuffer<float>>("Score").Take(200).Select(v => v.DenseValues().ToArray()).ToArray();
            Assert.Equal(4, ((VectorDataViewType)schema["Counts"].Type).Size);
            for (int i = 0; i < scores.Length; i++) Assert.Equal(scores[i], reloaded[i]);
        }
        finally { File.Delete(path); }

        var metrics = ml.Regression.EvaluateCounts(model.Transform(data), "Counts");
        Assert.Equal(4, metrics.PerOutput.Count);
        Assert.All(metrics.PerOutput, o => Assert.True(o.BitsPerSpike > 0.05, $"output {o.Index}: {o.BitsPerSpike} bits/spike"));
    }

    [Fact]
    public void Exposure_column_enters_the_model_as_a_log_offset()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(CountData.Poisson(4000, seed: 4, withExposure: true));
        var test = ml.Data.LoadFromEnumerable(CountData.Poisson(2000, seed: 5, withExposure: true));
        var options = Options();
        options.ExposureColumnName = "Exposure";

        var model = ml.Regression.Trainers.NeuralPoisson(options).Fit(train);

        Assert.Equal(["Features", "Exposure"], model.OnnxInputNames);
        var fitted = ml.Regression.EvaluateCounts(model.Transform(test));
        var truth = ml.Regression.EvaluateCounts(test, scoreColumnName: "TrueRate");
        Assert.True(fitted.DevianceExplained > truth.DevianceExplained - 0.05, $"fitted {fitted.DevianceExplained:F3} vs true {truth.DevianceExplained:F3}");
        // Doubling the exposure doubles the expected count.
        var doubled = ml.Transforms.CustomMapping<CountRow, ExposureOut>((i, o) => o.Exposure = 2 * i.Exposure, null)
            .Append(ml.Transforms.CopyColumns("Exposure", "Exposure2"));
        var first = CountData.Poisson(5, seed: 6, withExposure: true);
        var one = model.Transform(ml.Data.LoadFromEnumerable(first)).GetColumn<float>("Score").ToArray();
        foreach (var r in first) r.Exposure *= 2;
        var two = model.Transform(ml.Data.LoadFromEnumerable(first)).GetColumn<float>("Score").ToArray();
        for (int i = 0; i < one.Length; i++) Assert.Equal(2 * one[i], two[i], 2 * one[i] * 1e-5);
        _ = doubled;
    }

    public sealed class ExposureOut { public float Exposure { get; set; } }

    [Fact]
    public void Squared_error_loss_trains_the_same_network_by_mse()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(CountData.Poisson(2000, seed: 7));
        var options = Options(10);
        options.Loss = CountLoss.SquaredError;
        var model = ml.Regression.Trainers.NeuralPoisson(options).Fit(train);
        var mse = ml.Regression.Evaluate(model.Transform(train)).MeanSquaredError;
        Assert.Equal(mse, model.History[^1].TrainLoss, mse * 0.1);
    }
}

public class CountPipelineTests
{
    [Fact]
    public void Trainer_inside_an_estimator_chain_saves_and_loads_with_identical_scores()
    {
        var ml = new MLContext(1);
        var rows = CountData.Poisson(1000, seed: 41);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.CopyColumns("Inputs", "Features")
            .Append(ml.Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { FeatureColumnName = "Inputs", Epochs = 3, Seed = 1, HiddenLayers = [8] }));

        var model = pipeline.Fit(data);
        float[] before = model.Transform(data).GetColumn<float>("Score").ToArray();
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext(5).Model.Load(stream, out _);
        float[] after = loaded.Transform(data).GetColumn<float>("Score").ToArray();

        Assert.Equal(before, after);
        Assert.IsType<CountRegressionTransformer>(model.LastTransformer);
        Assert.DoesNotContain(loaded.GetOutputSchema(data.Schema), c => c.Name == "ScoreVector");
    }
}

public class CountValidationTests
{
    [Fact]
    public void Validation_split_reports_validation_nll_and_early_stopping_keeps_the_best_epoch()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(CountData.Poisson(1500, seed: 51));
        var options = new NeuralPoissonOptions
        {
            Epochs = 40, Seed = 1, HiddenLayers = [64, 64], LearningRate = 1e-2f,
            ValidationFraction = 0.3f, EarlyStopping = new MlNetExt.Core.Training.EarlyStoppingOptions { Patience = 3 },
        };

        var model = ml.Regression.Trainers.NeuralPoisson(options).Fit(data);

        var result = model.History;
        Assert.NotNull(result.BestValidationLoss);
        Assert.All(result, h => Assert.NotNull(h.ValidationLoss));
        Assert.Equal(result.Min(h => h.ValidationLoss!.Value), result.BestValidationLoss!.Value, 9);
        // A validation NLL is a true Poisson NLL: between the perfect-model floor and a constant-rate model's.
        Assert.InRange(result.BestValidationLoss.Value, 0.5, 3.0);
    }
}
