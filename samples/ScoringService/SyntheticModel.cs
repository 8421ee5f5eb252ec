using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt;
using MlNetExt.Regression.Counts;

namespace ScoringService;

/// <summary>A small count model (12 features -> 8 neurons' expected spike counts) trained on generated data and saved, so
/// the sample runs without downloads when no model is given.</summary>
public static class SyntheticModel
{
    public const int Features = 12, Neurons = 8;

    public static string TrainAndSave(string path)
    {
        var ml = new MLContext(1);
        var rows = Rows(3000, seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions
        {
            LabelColumnName = "Counts", HiddenLayers = [32, 32], Epochs = 5, Seed = 1,
        }).Fit(data);
        ml.DeepLearning().Model.Save(model, data.Schema, path);
        return path;
    }

    /// <summary>Feature rows in [-1, 1] with Poisson counts whose log-rate depends on them.</summary>
    public static Row[] Rows(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var x = Enumerable.Range(0, Features).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var counts = Enumerable.Range(0, Neurons).Select(n =>
            {
                double rate = Math.Exp(0.3 + 0.8 * Math.Sin(2 * x[n % Features] + n) - 0.4 * x[(n + 5) % Features]);
                double limit = Math.Exp(-rate), p = 1;
                int k = -1;
                do { k++; p *= random.NextDouble(); } while (p > limit);
                return (float)k;
            }).ToArray();
            return new Row { Features = x, Counts = counts };
        }).ToArray();
    }

    public sealed class Row
    {
        [VectorType(SyntheticModel.Features)] public float[] Features { get; set; } = [];

        [VectorType(SyntheticModel.Neurons)] public float[] Counts { get; set; } = [];
    }
}
