using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Evaluation;
using MlNetExt.Regression.Uncertainty;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Tests.Counts;
using MlNetExt.Regression.Tests.Gaussian;
using MlNetExt.Tests.Shared;
using Xunit;

namespace MlNetExt.Regression.Tests.DeepLearning;

/// <summary>The trainers made through <c>mlContext.DeepLearning()</c> use that context: its seed and its log.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public class RegressionContextTests
{
    private static NeuralPoissonOptions Poisson() => new() { Epochs = 2, HiddenLayers = [8], BatchSize = 128 };

    private static NeuralGaussianOptions Gaussian() => new() { Epochs = 2, HiddenLayers = [8], BatchSize = 128 };

    private static float[] Scores(ITransformer model, IDataView data) => model.Transform(data).GetColumn<float>("Score").ToArray();

    [Fact]
    public void The_contexts_seed_changes_the_count_model_and_the_same_seed_repeats_it()
    {
        var rows = CountData.Poisson(600, seed: 71);
        float[] Fit(int contextSeed)
        {
            var ml = new MLContext(contextSeed);
            var data = ml.Data.LoadFromEnumerable(rows);
            return Scores(ml.DeepLearning().Regression.Trainers.NeuralPoisson(Poisson()).Fit(data), data);
        }

        var first = Fit(1);
        Assert.Equal(first, Fit(1));
        Assert.NotEqual(first, Fit(2));
    }

    [Fact]
    public void The_contexts_seed_changes_the_negative_binomial_and_Gaussian_models()
    {
        var counts = CountData.NegativeBinomial(600, seed: 72, alpha: 0.5);
        var gaussian = HeteroscedasticData.Scalar(600, seed: 73);
        (float[] Counts, float[] Means) Fit(int contextSeed)
        {
            var ml = new MLContext(contextSeed);
            var dl = ml.DeepLearning();
            var countData = ml.Data.LoadFromEnumerable(counts);
            var gaussianData = ml.Data.LoadFromEnumerable(gaussian);
            var nb = dl.Regression.Trainers.NeuralNegativeBinomial(new NeuralNegativeBinomialOptions { Epochs = 2, HiddenLayers = [8] });
            var mean = dl.Regression.Trainers.NeuralGaussian(Gaussian());
            return (Scores(nb.Fit(countData), countData), Scores(mean.Fit(gaussianData), gaussianData));
        }

        var (counts1, means1) = Fit(1);
        var (counts2, means2) = Fit(2);
        Assert.NotEqual(counts1, counts2);
        Assert.NotEqual(means1, means2);
        Assert.Equal(means1, Fit(1).Means);
    }

    [Fact]
    public void Training_lines_reach_the_contexts_log()
    {
        var ml = new MLContext(3);
        var lines = ContextChecks.CaptureLog(ml);
        var data = ml.Data.LoadFromEnumerable(CountData.Poisson(300, seed: 74));
        var options = Poisson();
        options.Epochs = 3;

        ml.DeepLearning().Regression.Trainers.NeuralPoisson(options).Fit(data);

        var epochs = lines.Where(l => l.Contains("NeuralPoisson") && l.Contains("Stage 'train' epoch")).ToArray();
        Assert.Equal(3, epochs.Length);
        Assert.Contains(lines, l => l.Contains("NeuralPoisson") && l.Contains("Stage 'train' finished after 3 epochs"));
    }

    [Fact]
    public void Gaussian_training_lines_reach_the_contexts_log()
    {
        var ml = new MLContext(3);
        var lines = ContextChecks.CaptureLog(ml);
        var options = Gaussian();
        options.MeanWarmupEpochs = 1;

        ml.DeepLearning().Regression.Trainers.NeuralGaussian(options).Fit(ml.Data.LoadFromEnumerable(HeteroscedasticData.Scalar(200, seed: 75)));

        Assert.Equal(2, lines.Count(l => l.Contains("NeuralGaussian") && l.Contains(" epoch 1/1:")));
    }

    [Fact]
    public void Two_trainers_give_the_same_models_whichever_is_fitted_first()
    {
        var rows = CountData.Poisson(600, seed: 76);
        var (inOrder, reversed) = ContextChecks.FitBothOrders(() =>
        {
            var ml = new MLContext(11);
            var data = ml.Data.LoadFromEnumerable(rows);
            var trainers = ml.DeepLearning().Regression.Trainers;
            return (trainers.NeuralPoisson(Poisson()), trainers.NeuralPoisson(Poisson()), data);
        }, Scores);

        Assert.Equal(inOrder.A, reversed.A);
        Assert.Equal(inOrder.B, reversed.B);
        Assert.NotEqual(inOrder.A, inOrder.B);   // each trainer drew its own seed
    }

    [Fact]
    public void Fitting_one_trainer_twice_gives_the_same_model()
    {
        var ml = new MLContext(12);
        var data = ml.Data.LoadFromEnumerable(HeteroscedasticData.Scalar(300, seed: 77));
        var trainer = ml.DeepLearning().Regression.Trainers.NeuralGaussian(Gaussian());

        Assert.Equal(Scores(trainer.Fit(data), data), Scores(trainer.Fit(data), data));
    }

    [Fact]
    public void The_catalog_entry_points_forward_to_the_same_evaluators_and_binning()
    {
        var ml = new MLContext(1);
        var dl = ml.DeepLearning();
        var data = ml.Data.LoadFromEnumerable(CountData.Poisson(200, seed: 78));
        var counts = dl.Regression.EvaluateCounts(data, scoreColumnName: "TrueRate");
        Assert.Equal(ml.Regression.EvaluateCounts(data, scoreColumnName: "TrueRate").MeanNegativeLogLikelihood, counts.MeanNegativeLogLikelihood);
        Assert.Equal(ml.Regression.ComputeMeanCounts(data), dl.Regression.ComputeMeanCounts(data));

        var gaussian = ml.Data.LoadFromEnumerable(HeteroscedasticData.Scalar(100, seed: 79));
        var scored = ml.Transforms.CopyColumns("Score", "TrueMean").Append(ml.Transforms.CopyColumns("ScoreStdDev", "TrueStdDev"))
            .Fit(gaussian).Transform(gaussian);
        Assert.Equal(ml.Regression.EvaluateUncertainty(scored).MeanNegativeLogLikelihood, dl.Regression.EvaluateUncertainty(scored).MeanNegativeLogLikelihood);

        var spikes = ml.Data.LoadFromEnumerable(new[] { new Spike { Neuron = 0, Time = 0.01 }, new Spike { Neuron = 1, Time = 0.07 } });
        var covariates = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new Covariate { Time = i * 0.01, Speed = i }));
        var bins = dl.Data.BinSpikes(spikes, covariates, binSeconds: 0.05);
        Assert.Equal([1f, 0f, 0f, 1f, 0f, 0f, 0f, 0f], bins.GetColumn<VBuffer<float>>("Counts").SelectMany(v => v.DenseValues()).ToArray());
    }

    private sealed class Spike
    {
        public int Neuron { get; set; }
        public double Time { get; set; }
    }

    private sealed class Covariate
    {
        public double Time { get; set; }
        public float Speed { get; set; }
    }
}
