using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Embeddings.Cca;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

/// <summary>Both CCA estimators read views with Core's reader: every numeric type (CcaFeatureTypeTests), errors that name
/// the column, the accepted types and the user's row.</summary>
public class CcaInputTests
{
    [Fact]
    public void A_text_view_is_refused_naming_the_column_and_the_accepted_types()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(50, seed: 61);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var text = ml.Transforms.Conversion.ConvertType("ViewB", outputKind: DataKind.String).Fit(data).Transform(data);

        var linear = Assert.Throws<ArgumentException>(() => ml.DeepLearning().Transforms.LinearCca().Fit(text));
        var deep = Assert.Throws<ArgumentException>(() => ml.DeepLearning().Transforms.DeepCca().Fit(text));

        foreach (var e in new[] { linear, deep })
        {
            Assert.Contains("View B column 'ViewB'", e.Message);
            Assert.Contains("Single, Double, an integer type or Boolean", e.Message);
            Assert.Contains("String", e.Message);
        }
    }

    [Fact]
    public void Deep_cca_with_nan_in_the_validation_rows_names_the_users_row()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(100, seed: 62);
        var options = CcaContextTests.Small();
        options.ValidationFraction = 0.5f;
        options.Epochs = 1;
        // With half the rows held out, some NaN rows land in each split; every message must give the user's row number.
        foreach (int row in new[] { 70, 71, 72, 73 })
        {
            var rowsA = a.Select(r => r.ToArray()).ToArray();
            rowsA[row][2] = float.NaN;
            var e = Assert.Throws<InvalidDataException>(() => ml.DeepLearning().Transforms.DeepCca(options).Fit(EmbeddingData.TwoViews(ml, rowsA, b)));
            Assert.Contains("'ViewA'", e.Message);
            Assert.Contains($"row {row}", e.Message);
        }
    }

    [Fact]
    public void Linear_cca_with_nan_names_the_column_row_and_slot()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(50, seed: 63);
        a[23][1] = float.PositiveInfinity;

        var e = Assert.Throws<InvalidDataException>(() => ml.DeepLearning().Transforms.LinearCca().Fit(EmbeddingData.TwoViews(ml, a, b)));

        Assert.Contains("View A column 'ViewA'", e.Message);
        Assert.Contains("row 23 (slot 1)", e.Message);
    }

    [Fact]
    public void The_same_column_for_both_views_is_rejected()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.Linear(50, seed: 64);

        var e = Assert.Throws<ArgumentException>(() => ml.DeepLearning().Transforms.DeepCca("ViewA", "ViewA"));

        Assert.Contains("ViewAColumnName and ViewBColumnName are both 'ViewA'", e.Message);
    }

    [Fact]
    public void An_output_column_that_would_replace_a_view_is_rejected_naming_both_options()
    {
        var ml = new MLContext(1);

        var e = Assert.Throws<ArgumentException>(() => ml.DeepLearning().Transforms.LinearCca(new LinearCcaOptions
        {
            ViewAColumnName = "Left", ViewAOutputColumnName = "Left",
        }));

        Assert.Contains("ViewAColumnName and ViewAOutputColumnName are both 'Left'", e.Message);
    }
}
