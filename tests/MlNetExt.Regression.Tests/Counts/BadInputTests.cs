using Microsoft.ML;
using MlNetExt.Regression.Counts;
using Xunit;

namespace MlNetExt.Regression.Tests.Counts;

public class BadInputTests
{
    private static CountRow[] Rows() => CountData.Poisson(50, seed: 21);
    private static NeuralPoissonOptions Options() => new() { Epochs = 1, Seed = 1, HiddenLayers = [4], ExposureColumnName = "Exposure" };

    [Theory]
    [InlineData(-1f, "Column 'Label' has an invalid value at row 7", "is negative")]
    [InlineData(1.5f, "Column 'Label' has an invalid value at row 7", "whole number")]
    [InlineData(float.NaN, "Column 'Label' has a non-finite value at row 7", "NaN")]
    public void Fit_with_bad_counts_names_column_and_row(float label, string expected, string detail)
    {
        var ml = new MLContext(1);
        var rows = Rows();
        rows[7].Label = label;
        var e = Assert.Throws<InvalidDataException>(() => ml.Regression.Trainers.NeuralPoisson(Options()).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains(expected, e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Fit_with_non_finite_features_names_column_and_row(float value)
    {
        var ml = new MLContext(1);
        var rows = Rows();
        rows[3].Features[1] = value;
        var e = Assert.Throws<InvalidDataException>(() => ml.Regression.Trainers.NeuralPoisson(Options()).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("Column 'Features' has a non-finite value at row 3", e.Message);
    }

    [Fact]
    public void Fit_with_non_positive_exposure_names_column_and_row()
    {
        var ml = new MLContext(1);
        var rows = Rows();
        rows[5].Exposure = 0;
        var e = Assert.Throws<InvalidDataException>(() => ml.Regression.Trainers.NeuralNegativeBinomial(new NeuralNegativeBinomialOptions { Epochs = 1, ExposureColumnName = "Exposure" }).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("Column 'Exposure' has an invalid value at row 5", e.Message);
    }

    [Fact]
    public void Fit_with_empty_data_or_missing_column_fails_clearly()
    {
        var ml = new MLContext(1);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<CountRow>());
        Assert.Throws<InvalidDataException>(() => ml.Regression.Trainers.NeuralPoisson(Options()).Fit(empty));
        var e = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.NeuralPoisson(labelColumnName: "Spikes").Fit(ml.Data.LoadFromEnumerable(Rows())));
        Assert.Contains("'Spikes'", e.Message);
    }

    [Fact]
    public void Variable_size_vectors_that_disagree_name_column_and_row()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 20).Select(i => new VariableRow { Features = i == 9 ? [1f, 2f] : [1f, 2f, 3f], Label = 1 }).ToArray();
        var ex = Record.Exception(() => ml.Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions { Epochs = 1 }).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.NotNull(ex);
        Assert.Contains("Features", ex!.Message);
    }

    public sealed class VariableRow { public float[] Features { get; set; } = []; public float Label { get; set; } }
}
