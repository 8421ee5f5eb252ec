using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Uncertainty;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Tests.Gaussian;

public sealed class GaussianTrainingBehaviourTests
{
    [Fact]
    public void Mean_warm_up_leaves_the_std_dev_head_untouched_and_the_likelihood_stage_trains_it()
    {
        set_num_threads(1);
        var ml = new MLContext(5);
        var data = ml.Data.LoadFromEnumerable(HeteroscedasticData.Scalar(300, seed: 5));
        NeuralGaussianOptions Options(int warmup) => new() { Epochs = 3, MeanWarmupEpochs = warmup, HiddenLayers = [8], Seed = 9 };
        // The std-dev head's bias starts at softplus^-1(1 - floor), a constant (the weights are random).
        float initialBias = (float)Math.Log(Math.Exp(1 - Options(0).MinStdDev) - 1);

        var (_, warmedUp) = ml.Regression.Trainers.NeuralGaussian(Options(warmup: 3)).FitWithNetwork(data);
        var (_, likelihood) = ml.Regression.Trainers.NeuralGaussian(Options(warmup: 1)).FitWithNetwork(data);

        Assert.Equal([initialBias], warmedUp.Module.StdDevHead.bias!.data<float>().ToArray());
        Assert.NotEqual([initialBias], likelihood.Module.StdDevHead.bias!.data<float>().ToArray());
    }

    [Fact]
    public void Plain_nll_without_warm_up_also_learns_calibrated_heteroscedastic_noise()
    {
        set_num_threads(1);
        var ml = new MLContext(6);
        var options = ScalarGaussianModelFixture.Options();
        options.Beta = 0;
        options.MeanWarmupEpochs = 0;
        var test = HeteroscedasticData.Scalar(1500, seed: 22);

        var model = new NeuralGaussianTrainer(ml, options).Fit(ml.Data.LoadFromEnumerable(HeteroscedasticData.Scalar(1500, seed: 21)));
        var scored = model.Transform(ml.Data.LoadFromEnumerable(test));

        var metrics = ml.Regression.EvaluateUncertainty(scored);
        var sigma = scored.GetColumn<float>("ScoreStdDev").Select(v => (double)v).ToArray();
        double correlation = Correlation.Pearson(sigma, test.Select(r => (double)r.TrueStdDev).ToArray());
        Assert.True(correlation >= 0.9, $"correlation of predicted and true sigma {correlation:F3}");
        Assert.InRange(metrics.CoverageAt(0.9), 0.85, 0.95);
    }

    [Fact]
    public void Plain_nll_loss_equals_the_evaluators_nll_in_label_units()
    {
        using var scope = NewDisposeScope();
        float labelScale = 2.5f;
        var mean = tensor(new float[] { 0.1f, -0.4f, 1.2f }).reshape(3, 1);
        var stdDev = tensor(new float[] { 0.5f, 1.5f, 0.8f }).reshape(3, 1);
        var label = tensor(new float[] { 0.3f, -1.0f, 2.0f }).reshape(3, 1);

        double loss = GaussianLoss.BetaNegativeLogLikelihood(mean, stdDev, label, tensor(new[] { MathF.Log(labelScale) }), beta: 0)
            .item<float>();

        // The same predictions in label units (x * scale), scored by the evaluator.
        float[] Scaled(Tensor t) => (t * labelScale).data<float>().ToArray();
        var expected = UncertaintyMetricsCalculator.Compute(Scaled(label), Scaled(mean), Scaled(stdDev), 1, [0.5], perOutput: false);
        Assert.Equal(expected.MeanNegativeLogLikelihood, loss, 1e-5);
    }

    [Fact]
    public void Beta_nll_scales_the_mean_gradient_by_sigma_to_the_two_beta()
    {
        using var scope = NewDisposeScope();
        var mean = tensor(new float[] { 0f, 0f }).reshape(2, 1).requires_grad_();
        var stdDev = tensor(new float[] { 0.5f, 2f }).reshape(2, 1).requires_grad_();
        var label = tensor(new float[] { 1f, 1f }).reshape(2, 1);

        GaussianLoss.BetaNegativeLogLikelihood(mean, stdDev, label, zeros(1), beta: 0.5f).backward();

        // d/dmu of w * (y - mu)^2 / (2 sigma^2) with w = sigma^(2 beta) = sigma: -(y - mu) / sigma, over N = 2 rows.
        var gradient = mean.grad!.data<float>().ToArray();
        Assert.Equal(-1 / 0.5f / 2, gradient[0], 1e-6f);
        Assert.Equal(-1 / 2f / 2, gradient[1], 1e-6f);
    }
}
