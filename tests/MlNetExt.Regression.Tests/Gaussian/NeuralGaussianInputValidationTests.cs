using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Gaussian;
using Xunit;

namespace MlNetExt.Regression.Tests.Gaussian;

public sealed class NeuralGaussianInputValidationTests
{
    private sealed class WideRow
    {
        [VectorType(HeteroscedasticData.FeatureCount)] public float[] Features { get; set; } = [];
        [VectorType(3)] public float[] Label { get; set; } = [];
    }

    private sealed class ScalarFeatureRow
    {
        public float Features { get; set; }
        public float Label { get; set; }
    }

    private static NeuralGaussianOptions QuickOptions() => new() { Epochs = 1, HiddenLayers = [4] };

    [Fact]
    public void Fit_with_nan_label_names_column_and_row()
    {
        var ml = new MLContext(1);
        var rows = HeteroscedasticData.Scalar(20, seed: 1);
        rows[13].Label = float.NaN;

        var e = Assert.Throws<InvalidDataException>(() =>
            ml.Regression.Trainers.NeuralGaussian(QuickOptions()).Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("Label", e.Message);
        Assert.Contains("13", e.Message);
    }

    [Fact]
    public void Fit_with_infinite_feature_names_column_and_row()
    {
        var ml = new MLContext(1);
        var rows = HeteroscedasticData.Scalar(20, seed: 1);
        rows[4].Features[1] = float.PositiveInfinity;

        var e = Assert.Throws<InvalidDataException>(() =>
            ml.Regression.Trainers.NeuralGaussian(QuickOptions()).Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("Features", e.Message);
        Assert.Contains("4", e.Message);
    }

    [Fact]
    public void Fit_on_empty_data_is_rejected()
    {
        var ml = new MLContext(1);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<HeteroscedasticData.ScalarRow>());

        var e = Assert.Throws<InvalidDataException>(() => ml.Regression.Trainers.NeuralGaussian(QuickOptions()).Fit(empty));

        Assert.Contains("no rows", e.Message);
    }

    [Fact]
    public void Validation_set_with_a_different_label_size_is_rejected()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(HeteroscedasticData.Vector(20, seed: 1));
        var wide = ml.Data.LoadFromEnumerable(new[] { new WideRow { Features = [0, 0, 0], Label = [1, 2, 3] } });
        var options = QuickOptions();
        options.ValidationSet = wide;

        var e = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.NeuralGaussian(options).Fit(train));

        Assert.Contains("'Label'", e.Message);
        Assert.Contains("3", e.Message);
        Assert.Contains("2", e.Message);
    }

    [Fact]
    public void Scalar_feature_column_is_rejected_with_a_hint()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ScalarFeatureRow { Features = 1, Label = 2 } });

        var e = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.NeuralGaussian(QuickOptions()).Fit(data));

        Assert.Contains("'Features'", e.Message);
        Assert.Contains("Concatenate", e.Message);
    }

    [Theory]
    [InlineData(nameof(NeuralGaussianOptions.MeanWarmupEpochs))]
    [InlineData(nameof(NeuralGaussianOptions.Beta))]
    [InlineData(nameof(NeuralGaussianOptions.MinStdDev))]
    public void Out_of_range_option_is_rejected_by_name(string option)
    {
        var options = QuickOptions();
        switch (option)
        {
            case nameof(NeuralGaussianOptions.MeanWarmupEpochs): options.MeanWarmupEpochs = 2; break;
            case nameof(NeuralGaussianOptions.Beta): options.Beta = 1.5f; break;
            default: options.MinStdDev = 0; break;
        }

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext(1).Regression.Trainers.NeuralGaussian(options));

        Assert.Equal(option, e.ParamName);
    }
}
