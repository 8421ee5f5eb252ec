using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Tests.Counts;
using MlNetExt.Regression.Tests.Gaussian;
using Xunit;

namespace MlNetExt.Regression.Tests.Reliability;

/// <summary>Finite but absurd values: rejected where they cannot be valid, warned about in MLContext.Log where one row would
/// dominate the fit, and NaN at scoring time passes through as NaN (documented; ML.NET's missing-value transforms handle it).</summary>
public class ExtremeValueTests
{
    private static List<string> Warnings(MLContext ml)
    {
        var warnings = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning)
                lock (warnings) warnings.Add(e.Message);
        };
        return warnings;
    }

    [Fact]
    public void A_count_of_1e30_is_rejected_naming_column_and_row()
    {
        var ml = new MLContext(1);
        var rows = CountData.Poisson(60, seed: 21);
        rows[7].Label = 1e30f;

        var e = Assert.Throws<InvalidDataException>(() =>
            ml.Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { Epochs = 1, Seed = 1, HiddenLayers = [4] }).Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("Column 'Label' has an invalid value at row 7", e.Message);
        Assert.Contains("16777216", e.Message);
    }

    [Fact]
    public void A_count_that_dominates_the_label_is_reported_in_the_log()
    {
        var ml = new MLContext(1);
        var warnings = Warnings(ml);
        var rows = CountData.Poisson(300, seed: 22);
        rows[40].Label = 5_000_000;

        new NeuralPoissonTrainer(ml, new NeuralPoissonOptions { Epochs = 1, Seed = 1, HiddenLayers = [4] }).Fit(ml.Data.LoadFromEnumerable(rows));

        lock (warnings)
            Assert.Contains(warnings, w => w.Contains("label column 'Label'") && w.Contains("5E+06") && w.Contains("extreme value"));
    }

    [Fact]
    public void Ordinary_counts_and_Gaussian_labels_give_no_extreme_value_warning()
    {
        var ml = new MLContext(1);
        var warnings = Warnings(ml);

        new NeuralNegativeBinomialTrainer(ml, new NeuralNegativeBinomialOptions { Epochs = 1, Seed = 1, HiddenLayers = [4] })
            .Fit(ml.Data.LoadFromEnumerable(CountData.NegativeBinomial(2000, seed: 23, alpha: 1.0)));
        new NeuralGaussianTrainer(ml, new NeuralGaussianOptions { Epochs = 1, Seed = 1, HiddenLayers = [4] })
            .Fit(ml.Data.LoadFromEnumerable(HeteroscedasticData.Vector(2000, seed: 24)));

        lock (warnings)
            Assert.DoesNotContain(warnings, w => w.Contains("extreme value"));
    }

    [Fact]
    public void A_Gaussian_label_of_3e38_is_reported_in_the_log()
    {
        var ml = new MLContext(1);
        var warnings = Warnings(ml);
        var rows = HeteroscedasticData.Scalar(200, seed: 25);
        rows[13].Label = 3e38f;

        new NeuralGaussianTrainer(ml, new NeuralGaussianOptions { Epochs = 1, Seed = 1, HiddenLayers = [4] }).Fit(ml.Data.LoadFromEnumerable(rows));

        lock (warnings)
            Assert.Contains(warnings, w => w.Contains("label column 'Label'") && w.Contains("3E+38"));
    }

    [Fact]
    public void NaN_features_at_scoring_give_NaN_scores_unless_replaced_first()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(CountData.Poisson(300, seed: 26));
        var model = ml.Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { Epochs = 2, Seed = 1, HiddenLayers = [4] }).Fit(train);
        var rows = CountData.Poisson(3, seed: 27);
        rows[1].Features[0] = float.NaN;
        var data = ml.Data.LoadFromEnumerable(rows);

        var scores = model.Transform(data).GetColumn<float>("Score").ToArray();
        var missing = ml.Transforms.ReplaceMissingValues("Features", replacementMode: Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Mean)
            .Fit(train);
        var replaced = model.Transform(missing.Transform(data)).GetColumn<float>("Score").ToArray();

        Assert.True(float.IsNaN(scores[1]));
        Assert.True(float.IsFinite(scores[0]) && float.IsFinite(scores[2]));
        Assert.All(replaced, s => Assert.True(float.IsFinite(s)));
    }
}
