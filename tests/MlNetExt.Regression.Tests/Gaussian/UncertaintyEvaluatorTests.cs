using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Uncertainty;
using Xunit;

namespace MlNetExt.Regression.Tests.Gaussian;

public sealed class UncertaintyEvaluatorTests
{
    private sealed class ScalarRow
    {
        public float Label { get; set; }
        public float Score { get; set; }
        public float ScoreStdDev { get; set; }
    }

    private sealed class VectorRow
    {
        [VectorType(2)] public float[] Label { get; set; } = [];
        [VectorType(2)] public float[] Score { get; set; } = [];
        [VectorType(2)] public float[] ScoreStdDev { get; set; } = [];
    }

    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    // (label, mean, sigma): standardised errors z = 1, 0, 2, 2.
    private static readonly ScalarRow[] TinyTable =
    [
        new() { Label = 1, Score = 0, ScoreStdDev = 1 },
        new() { Label = 0, Score = 0, ScoreStdDev = 2 },
        new() { Label = 3, Score = 1, ScoreStdDev = 1 },
        new() { Label = -1, Score = 0, ScoreStdDev = 0.5f },
    ];

    [Fact]
    public void Metrics_on_a_tiny_table_match_hand_computation()
    {
        var ml = new MLContext(1);
        var m = ml.Regression.EvaluateUncertainty(ml.Data.LoadFromEnumerable(TinyTable));

        // NLL per row = 0.5 log(2 pi) + log sigma + z^2/2; the log sigmas (0, log 2, 0, -log 2) cancel in the mean.
        Assert.Equal(HalfLogTwoPi + (0.5 + 0 + 2 + 2) / 4, m.MeanNegativeLogLikelihood, 1e-9);
        Assert.Equal(Math.Sqrt(1.5), m.RootMeanSquaredError, 9);   // errors 1, 0, 2, -1
        Assert.Equal(1.0, m.MeanAbsoluteError, 9);
        Assert.Equal(1.125, m.MeanStdDev, 9);
        Assert.Equal(4, m.RowCount);
        // Half-widths 0.674, 0.994, 1.645, 1.960 sigma: z = 0 is inside all; z = 1 inside 90 % and 95 %; z = 2 in none.
        Assert.Equal([0.5, 0.68, 0.9, 0.95], m.Coverage.Select(c => c.Level));
        Assert.Equal([0.25, 0.25, 0.5, 0.5], m.Coverage.Select(c => c.Observed));
        Assert.Equal((0.25 + 0.43 + 0.40 + 0.45) / 4, m.ExpectedCalibrationError, 9);
        // |error| = 1, 0, 2, 1 against sigma = 1, 2, 1, 0.5.
        Assert.Equal(-1 / Math.Sqrt(2 * 1.1875), m.ErrorStdDevPearsonCorrelation, 9);
        Assert.Equal(-0.5, m.ErrorStdDevSpearmanCorrelation, 9);   // tied ranks averaged
        Assert.Empty(m.PerOutput);
    }

    [Fact]
    public void Custom_coverage_levels_are_evaluated_in_request_order()
    {
        var ml = new MLContext(1);
        var m = ml.Regression.EvaluateUncertainty(ml.Data.LoadFromEnumerable(TinyTable), coverageLevels: [0.99, 0.2]);

        // 0.99 -> 2.576 sigma covers z = 0, 1, 2, 2; 0.2 -> 0.253 sigma covers z = 0 only.
        Assert.Equal([1.0, 0.25], m.Coverage.Select(c => c.Observed));
        Assert.Equal(0.25, m.CoverageAt(0.2));
        Assert.Equal((0.01 + 0.05) / 2, m.ExpectedCalibrationError, 9);
    }

    [Fact]
    public void Vector_labels_pool_coordinates_and_report_each_coordinate()
    {
        var ml = new MLContext(1);
        // Coordinate 0 holds the tiny table; coordinate 1 is predicted exactly with sigma 1.
        var rows = TinyTable.Select(r => new VectorRow
        {
            Label = [r.Label, 5], Score = [r.Score, 5], ScoreStdDev = [r.ScoreStdDev, 1],
        }).ToArray();

        var m = ml.Regression.EvaluateUncertainty(ml.Data.LoadFromEnumerable(rows));

        Assert.Equal(2, m.PerOutput.Count);
        Assert.Equal(HalfLogTwoPi + 1.125, m.PerOutput[0].MeanNegativeLogLikelihood, 1e-9);
        Assert.Equal(HalfLogTwoPi, m.PerOutput[1].MeanNegativeLogLikelihood, 1e-9);
        Assert.Equal(0.0, m.PerOutput[1].RootMeanSquaredError, 9);
        Assert.Equal(4, m.RowCount);
        Assert.Equal(HalfLogTwoPi + 1.125 / 2, m.MeanNegativeLogLikelihood, 1e-9);
        Assert.Equal(Math.Sqrt(6.0 / 8), m.RootMeanSquaredError, 9);
        Assert.Equal([0.625, 0.625, 0.75, 0.75], m.Coverage.Select(c => c.Observed));
    }

    [Fact]
    public void Nan_label_names_column_and_row()
    {
        var ml = new MLContext(1);
        var rows = TinyTable.ToArray();
        rows[2] = new ScalarRow { Label = float.NaN, Score = 0, ScoreStdDev = 1 };

        var e = Assert.Throws<InvalidDataException>(() => ml.Regression.EvaluateUncertainty(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("'Label'", e.Message);
        Assert.Contains("row 2", e.Message);
    }

    [Fact]
    public void Non_positive_standard_deviation_names_column_and_row()
    {
        var ml = new MLContext(1);
        var rows = TinyTable.ToArray();
        rows[1] = new ScalarRow { Label = 0, Score = 0, ScoreStdDev = 0 };

        var e = Assert.Throws<InvalidDataException>(() => ml.Regression.EvaluateUncertainty(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("'ScoreStdDev'", e.Message);
        Assert.Contains("row 1", e.Message);
    }

    [Fact]
    public void Empty_data_is_rejected()
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<ArgumentException>(() =>
            ml.Regression.EvaluateUncertainty(ml.Data.LoadFromEnumerable(Array.Empty<ScalarRow>())));
        Assert.Contains("no rows", e.Message);
    }

    [Fact]
    public void Missing_column_and_size_mismatch_name_the_columns()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(TinyTable);
        var missing = Assert.Throws<ArgumentException>(() => ml.Regression.EvaluateUncertainty(data, stdDevColumnName: "Sigma"));
        Assert.Contains("'Sigma'", missing.Message);

        var wide = ml.Transforms.Concatenate("Wide", "Score", "Score").Fit(data).Transform(data);
        var mismatch = Assert.Throws<ArgumentException>(() => ml.Regression.EvaluateUncertainty(wide, scoreColumnName: "Wide"));
        Assert.Contains("'Wide'", mismatch.Message);
        Assert.Contains("same size", mismatch.Message);
    }

    [Fact]
    public void Standard_normal_quantile_matches_known_values()
    {
        Assert.Equal(1.6448536, StandardNormal.Quantile(0.95), 6);
        Assert.Equal(1.9599640, StandardNormal.Quantile(0.975), 6);
        Assert.Equal(-2.3263479, StandardNormal.Quantile(0.01), 6);
        Assert.Equal(0.0, StandardNormal.Quantile(0.5), 12);
    }
}
