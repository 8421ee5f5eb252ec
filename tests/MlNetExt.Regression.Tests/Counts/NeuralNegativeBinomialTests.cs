using Microsoft.ML;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Evaluation;
using Xunit;

namespace MlNetExt.Regression.Tests.Counts;

public class NeuralNegativeBinomialTests
{
    [Fact]
    public void Fit_learns_the_dispersion_of_gamma_poisson_data()
    {
        var ml = new MLContext(1);
        const double alpha = 0.5;
        var train = ml.Data.LoadFromEnumerable(CountData.NegativeBinomial(5000, seed: 11, alpha));
        var test = ml.Data.LoadFromEnumerable(CountData.NegativeBinomial(2000, seed: 12, alpha));

        var model = ml.Regression.Trainers.NeuralNegativeBinomial(new NeuralNegativeBinomialOptions { Epochs = 25, Seed = 1, HiddenLayers = [16] }).Fit(train);

        Assert.NotNull(model.Dispersion);
        float learnt = Assert.Single(model.Dispersion!);
        Assert.True(Math.Abs(learnt - alpha) < 0.1, $"learnt dispersion {learnt}, true {alpha}");
        // The NB likelihood with the learnt dispersion beats the Poisson likelihood on over-dispersed data.
        var m = ml.Regression.EvaluateCounts(model.Transform(test), dispersion: [learnt]);
        Assert.True(m.MeanNegativeBinomialNegativeLogLikelihood < m.MeanNegativeLogLikelihood - 0.05,
            $"NB {m.MeanNegativeBinomialNegativeLogLikelihood} vs Poisson {m.MeanNegativeLogLikelihood}");
        // The reported loss is the true NB NLL.
        var trainNb = ml.Regression.EvaluateCounts(model.Transform(train), dispersion: [learnt]).MeanNegativeBinomialNegativeLogLikelihood!.Value;
        Assert.Equal(trainNb, model.History[^1].TrainLoss, 1);
    }

    [Fact]
    public void Poisson_data_gives_a_small_dispersion()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(CountData.NegativeBinomial(4000, seed: 13, alpha: 1e-6));
        var model = ml.Regression.Trainers.NeuralNegativeBinomial(new NeuralNegativeBinomialOptions { Epochs = 20, Seed = 1, HiddenLayers = [] }).Fit(train);
        Assert.True(model.Dispersion![0] < 0.06, $"dispersion {model.Dispersion[0]}");
    }
}
