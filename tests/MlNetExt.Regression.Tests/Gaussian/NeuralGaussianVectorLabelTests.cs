using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Uncertainty;
using Xunit;

namespace MlNetExt.Regression.Tests.Gaussian;

public sealed class NeuralGaussianVectorLabelTests(ITestOutputHelper output)
{
    private sealed class VectorPrediction
    {
        [VectorType(2)] public float[] Score { get; set; } = [];
        [VectorType(2)] public float[] ScoreStdDev { get; set; } = [];
        [VectorType(2)] public float[] TrueStdDev { get; set; } = [];
        [VectorType(HeteroscedasticData.FeatureCount)] public float[] Features { get; set; } = [];
    }

    [Fact]
    public void Vector_label_gets_one_mean_and_one_std_dev_per_coordinate()
    {
        TorchSharp.torch.set_num_threads(1);
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(HeteroscedasticData.Vector(1500, seed: 11));
        var test = ml.Data.LoadFromEnumerable(HeteroscedasticData.Vector(1000, seed: 12));
        var options = ScalarGaussianModelFixture.Options();
        var (model, network) = ml.Regression.Trainers.NeuralGaussian(options).FitWithNetwork(train);

        var scored = model.Transform(test);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2), scored.Schema["Score"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2), scored.Schema["ScoreStdDev"].Type);

        var rows = ml.Data.CreateEnumerable<VectorPrediction>(scored, reuseRowObject: false).ToArray();
        var metrics = ml.Regression.EvaluateUncertainty(scored);
        Assert.Equal(2, metrics.PerOutput.Count);
        for (int c = 0; c < 2; c++)
        {
            double correlation = Correlation.Pearson(rows.Select(r => (double)r.ScoreStdDev[c]).ToArray(),
                rows.Select(r => (double)r.TrueStdDev[c]).ToArray());
            output.WriteLine($"coordinate {c}: corr(sigma) {correlation:F3}, 90 % coverage {metrics.PerOutput[c].CoverageAt(0.9):P1}, " +
                $"NLL {metrics.PerOutput[c].MeanNegativeLogLikelihood:F3}");
            Assert.True(correlation >= 0.85, $"coordinate {c}: correlation of predicted and true sigma {correlation:F3}");
            Assert.InRange(metrics.PerOutput[c].CoverageAt(0.9), 0.85, 0.95);
        }

        // The exported graph agrees with the TorchSharp network on both coordinates.
        var features = new float[rows.Length, HeteroscedasticData.FeatureCount];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < HeteroscedasticData.FeatureCount; j++)
                features[i, j] = rows[i].Features[j];
        var (torchMean, torchStdDev) = network.Predict(features);
        double worst = 0;
        for (int i = 0; i < rows.Length; i++)
            for (int c = 0; c < 2; c++)
                worst = Math.Max(worst, Math.Max(Math.Abs(rows[i].Score[c] - torchMean[i, c]) / Math.Max(1, Math.Abs(torchMean[i, c])),
                    Math.Abs(rows[i].ScoreStdDev[c] - torchStdDev[i, c]) / torchStdDev[i, c]));
        Assert.True(worst <= 1e-5, $"max relative ONNX vs TorchSharp difference {worst:E2}");

        // A saved vector-label model loads back and scores identically (plain ML.NET scores the chain row by row, as the
        // model's own chain does; the model's Transform batches, which may round differently in the last bit).
        var rowByRow = ml.Data.CreateEnumerable<VectorPrediction>(model.Model.Transform(test), reuseRowObject: false).ToArray();
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var reloaded = ml.Data.CreateEnumerable<VectorPrediction>(ml.Model.Load(stream, out _).Transform(test), reuseRowObject: false).ToArray();
        Assert.Equal(rowByRow.SelectMany(r => r.Score.Concat(r.ScoreStdDev)), reloaded.SelectMany(r => r.Score.Concat(r.ScoreStdDev)));
    }
}
