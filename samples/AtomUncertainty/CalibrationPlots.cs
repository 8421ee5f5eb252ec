using MlNetExt.Regression.Uncertainty;
using ScottPlot;

namespace AtomUncertainty;

/// <summary>The two PNG figures: a calibration curve and predicted against true noise level.</summary>
public static class CalibrationPlots
{
    /// <summary>Observed against nominal coverage of the central intervals, one curve per model, with the ideal diagonal.</summary>
    public static void CalibrationCurve(string path, IReadOnlyList<(string Name, UncertaintyMetrics Metrics)> models)
    {
        var plot = new Plot();
        var ideal = plot.Add.Line(0, 0, 1, 1);
        ideal.LinePattern = LinePattern.Dashed;
        ideal.Color = Colors.Gray;
        ideal.LegendText = "ideal";
        foreach (var (name, metrics) in models)
        {
            var curve = plot.Add.Scatter(metrics.Coverage.Select(c => c.Level).ToArray(), metrics.Coverage.Select(c => c.Observed).ToArray());
            curve.LegendText = $"{name} (ECE {metrics.ExpectedCalibrationError:F3})";
            curve.MarkerSize = 5;
        }
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title("Calibration of central intervals (held-out atoms, x/y/z pooled)");
        plot.XLabel("nominal coverage");
        plot.YLabel("observed coverage");
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path);
    }

    /// <summary>Each test value's predicted standard deviation against the simulator's true one.</summary>
    public static void StdDevAgainstTruth(string path, IReadOnlyList<ScoredPosition> gaussian, float[] baselineStdDev)
    {
        var plot = new Plot();
        string[] axes = ["x", "y", "z"];
        for (int c = 0; c < 3; c++)
        {
            var points = plot.Add.Scatter(gaussian.Select(r => (double)r.TrueStdDev[c]).ToArray(),
                gaussian.Select(r => (double)r.ScoreStdDev[c]).ToArray());
            points.LineWidth = 0;
            points.MarkerSize = 2;
            points.LegendText = $"NeuralGaussian, {axes[c]}";
        }
        double max = gaussian.Max(r => r.TrueStdDev.Max()) * 1.05;
        var ideal = plot.Add.Line(0, 0, max, max);
        ideal.LinePattern = LinePattern.Dashed;
        ideal.Color = Colors.Black;
        ideal.LegendText = "predicted = true";
        for (int c = 0; c < 3; c++)
        {
            var constant = plot.Add.HorizontalLine(baselineStdDev[c]);
            constant.LinePattern = LinePattern.Dotted;
            constant.LegendText = c == 0 ? "MSE baseline (constant sigma per axis)" : "";
        }
        plot.Title("Predicted against true measurement noise (angstrom)");
        plot.XLabel("true noise standard deviation");
        plot.YLabel("predicted standard deviation");
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path);
    }

    /// <summary>Writes to a temporary file and renames it, so a reader never sees half an image.</summary>
    private static void Save(Plot plot, string path)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileNameWithoutExtension(path)}.{Guid.NewGuid():N}.png");
        plot.SavePng(temporary, 800, 600);
        File.Move(temporary, path, overwrite: true);
    }
}
