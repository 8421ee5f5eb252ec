using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Tests.Counts;
using MlNetExt.Regression.Tests.Gaussian;
using MlNetExt.Tests.Shared;
using Xunit;

namespace MlNetExt.Regression.Tests.Reliability;

/// <summary>
/// Several fits of each regression trainer in one process while another thread forces garbage collection and finalizers
/// in a loop: no crash, and no TorchSharp Scalar left to the finalizer (each one could have been freed while libtorch
/// used it, which aborts the process).
/// </summary>
[Collection(nameof(GcStressCollection))]
[Trait("Category", "GcStress")]
public class RegressionGcStressTests(ITestOutputHelper output)
{
    private static readonly ActivationKind[] Activations = [ActivationKind.Softplus, ActivationKind.GELU, ActivationKind.SiLU, ActivationKind.ReLU, ActivationKind.Tanh];

    [Fact]
    public void NeuralPoisson_fits_survive_forced_collections()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(CountData.Poisson(600, seed: 1, withExposure: true));
        var report = GcStress.Run(fits: 4, fit =>
        {
            var options = new NeuralPoissonOptions
            {
                Epochs = 4, BatchSize = 64, Seed = fit, HiddenLayers = [16, 16], Activation = Activations[fit % Activations.Length],
                Dropout = 0.1f, ExposureColumnName = fit % 2 == 0 ? "Exposure" : null, ValidationFraction = 0.2f,
                EarlyStopping = new EarlyStoppingOptions { Patience = 2 }, Optimizer = (OptimizerKind)(fit % 3),
            };
            var model = new NeuralPoissonTrainer(ml, options).Fit(data);
            Assert.True(double.IsFinite(model.History[^1].TrainLoss));
        });
        output.WriteLine(report.ToString());
        Assert.Equal(0, report.FinalizedScalars);
    }

    [Fact]
    public void NeuralNegativeBinomial_fits_survive_forced_collections()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(CountData.NegativeBinomial(600, seed: 2, alpha: 0.5));
        var report = GcStress.Run(fits: 4, fit =>
        {
            var options = new NeuralNegativeBinomialOptions
            {
                Epochs = 4, BatchSize = 64, Seed = fit, HiddenLayers = [16], Activation = Activations[(fit + 1) % Activations.Length],
                ValidationFraction = 0.2f, GradientClipNorm = 10f, LearningRateSchedule = LearningRateSchedule.Cosine,
            };
            var model = new NeuralNegativeBinomialTrainer(ml, options).Fit(data);
            Assert.True(model.Dispersion![0] > 0);
        });
        output.WriteLine(report.ToString());
        Assert.Equal(0, report.FinalizedScalars);
    }

    [Fact]
    public void NeuralGaussian_fits_survive_forced_collections()
    {
        var ml = new MLContext(1);
        var scalar = ml.Data.LoadFromEnumerable(HeteroscedasticData.Scalar(500, seed: 3));
        var vector = ml.Data.LoadFromEnumerable(HeteroscedasticData.Vector(500, seed: 4));
        var report = GcStress.Run(fits: 4, fit =>
        {
            var options = new NeuralGaussianOptions
            {
                Epochs = 4, MeanWarmupEpochs = fit % 2, BatchSize = 64, Seed = fit, HiddenLayers = [16, 16],
                Activation = Activations[fit % Activations.Length], Beta = fit % 2 == 0 ? 0.5f : 0f, ValidationFraction = 0.2f,
            };
            var model = new NeuralGaussianTrainer(ml, options).Fit(fit % 2 == 0 ? scalar : vector);
            Assert.NotEmpty(model.History.Stages);
        });
        output.WriteLine(report.ToString());
        Assert.Equal(0, report.FinalizedScalars);
    }
}
