using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Tests.Counts;
using MlNetExt.Regression.Tests.Gaussian;
using Xunit;

namespace MlNetExt.Regression.Tests.DeepLearning;

/// <summary>Core's one column reader as the Regression trainers use it: every numeric label type, and the user's own row
/// numbers in messages after a validation split.</summary>
[Collection(nameof(TorchGlobalRandomCollection))]
public class RegressionInputTests
{
    private sealed class DoubleLabelRow
    {
        [VectorType(HeteroscedasticData.FeatureCount)] public float[] Features { get; set; } = [];
        public double Label { get; set; }
    }

    private sealed class IntLabelRow
    {
        [VectorType(HeteroscedasticData.FeatureCount)] public float[] Features { get; set; } = [];
        public int Label { get; set; }
    }

    [Fact]
    public void NeuralGaussian_accepts_Double_and_integer_labels_as_the_count_trainers_do()
    {
        var ml = new MLContext(1);
        var rows = HeteroscedasticData.Scalar(300, seed: 101);
        var options = new NeuralGaussianOptions { Epochs = 2, HiddenLayers = [8], Seed = 1 };
        var asFloat = ml.Data.LoadFromEnumerable(rows);
        var asDouble = ml.Data.LoadFromEnumerable(rows.Select(r => new DoubleLabelRow { Features = r.Features, Label = r.Label }));
        var asInt = ml.Data.LoadFromEnumerable(rows.Select(r => new IntLabelRow { Features = r.Features, Label = (int)MathF.Round(4 * r.Label) }));
        var trainers = ml.DeepLearning().Regression.Trainers;

        var floatModel = trainers.NeuralGaussian(options).Fit(asFloat);
        var doubleModel = trainers.NeuralGaussian(options).Fit(asDouble);
        var intModel = trainers.NeuralGaussian(options).Fit(asInt);

        // A Double label holding the same float values trains the same network.
        Assert.Equal(floatModel.Transform(asFloat).GetColumn<float>("Score"), doubleModel.Transform(asDouble).GetColumn<float>("Score"));
        var scored = intModel.Transform(asInt);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.True(double.IsFinite(ml.DeepLearning().Regression.EvaluateUncertainty(scored).MeanNegativeLogLikelihood));
        Assert.Equal(NumberDataViewType.Single, scored.Schema["ScoreStdDev"].Type);
    }

    [Theory]
    [InlineData(0.3f)]
    [InlineData(0.7f)]
    public void A_bad_count_after_a_validation_split_is_reported_by_its_row_in_the_users_data(float validationFraction)
    {
        var ml = new MLContext(1);
        var rows = CountData.Poisson(400, seed: 102);
        rows[337].Label = -3;
        var options = new NeuralPoissonOptions { Epochs = 1, HiddenLayers = [4], ValidationFraction = validationFraction };

        var e = Assert.Throws<InvalidDataException>(() =>
            ml.DeepLearning().Regression.Trainers.NeuralPoisson(options).Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("Column 'Label' has an invalid value at row 337", e.Message);
        Assert.Contains("found -3, which is negative", e.Message);
    }

    [Fact]
    public void Messages_about_column_types_speak_only_public_API()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 10).Select(i => new HeteroscedasticData.ScalarRow { Features = [1, 2, 3], Label = i % 3 }).ToArray();
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));

        var e = Assert.Throws<ArgumentException>(() =>
            ml.DeepLearning().Regression.Trainers.NeuralGaussian(new NeuralGaussianOptions { Epochs = 1 }).Fit(keyed));

        Assert.Contains("Label column 'Label'", e.Message);
        Assert.Contains("MapKeyToValue", e.Message);
        Assert.DoesNotContain("TensorColumnKind", e.Message);
        Assert.DoesNotContain("ExpectedWidth", e.Message);
    }
}
