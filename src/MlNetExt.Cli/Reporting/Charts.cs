using MlNetExt.Core.Training;

namespace MlNetExt.Cli.Reporting;

/// <summary>The report's plots, drawn as SVG (<see cref="SvgPlot"/>) and inlined into report.html.</summary>
internal static class Charts
{
    /// <summary>Training and validation loss per epoch over every stage (stages marked by a vertical line).</summary>
    public static byte[] TrainingCurves(Runs.RunHistory history)
    {
        double[] epochs = Enumerable.Range(1, history.Count).Select(i => (double)i).ToArray();
        var plot = new SvgPlot("Training curves", "epoch (all stages)", "loss")
            .Line("train loss", epochs, history.Select(p => p.TrainLoss).ToArray(), markers: epochs.Length <= 60);
        if (history.Any(p => p.ValidationLoss is not null))
            plot.Line("validation loss", epochs, history.Select(p => p.ValidationLoss ?? double.NaN).ToArray(), markers: epochs.Length <= 60);
        int boundary = 0;
        foreach (var stage in history.Stages.Take(history.Stages.Count - 1))
        {
            boundary += stage.EpochsRun;
            if (boundary > 0)
                plot.Vertical(boundary + 0.5, $"end of '{stage.Stage}'");
        }
        return plot.Render();
    }

    /// <summary>One validation metric per epoch.</summary>
    public static byte[] MetricCurve(IReadOnlyList<TrainingProgress> history, string metric)
    {
        double[] epochs = Enumerable.Range(1, history.Count).Select(i => (double)i).ToArray();
        return new SvgPlot($"Validation {metric}", "epoch (all stages)", metric)
            .Line(metric, epochs, history.Select(p => p.Metrics.TryGetValue(metric, out var v) ? v : double.NaN).ToArray(), markers: epochs.Length <= 60)
            .Render();
    }

    /// <summary>Points y against x with the y = x diagonal (predicted against observed).</summary>
    public static byte[] ScatterWithDiagonal(double[] x, double[] y, string title, string xLabel, string yLabel)
    {
        double low = Math.Min(Min(x), Min(y)), high = Math.Max(Max(x), Max(y));
        if (high <= low) high = low + 1;
        return new SvgPlot(title, xLabel, yLabel).Reference("y = x", low, low, high, high).Points("held-out rows", x, y).Render();
    }

    /// <summary>Curves through points (x, y), with optional reference lines and a marked point.</summary>
    public static byte[] Curves(IReadOnlyList<(string Name, double[] X, double[] Y)> curves, string title, string xLabel, string yLabel,
        bool unitDiagonal = false, (double X, double Y, string Label)? marker = null, bool unitSquare = false, bool dataDiagonal = false)
    {
        var plot = new SvgPlot(title, xLabel, yLabel);
        if (dataDiagonal)
        {
            double low = curves.Min(c => Math.Min(Min(c.X), Min(c.Y))), high = curves.Max(c => Math.Max(Max(c.X), Max(c.Y)));
            plot.Reference("y = x", low, low, high, high);
        }
        if (unitDiagonal)
            plot.Reference("ideal / chance", 0, 0, 1, 1);
        foreach (var (name, x, y) in curves)
            plot.Line(name, x, y, markers: x.Length <= 60);
        if (marker is { } m)
            plot.Points(m.Label, [m.X], [m.Y]);
        if (unitSquare)
            plot.Limits(0, 1, 0, 1);
        return plot.Render();
    }

    private static double Min(double[] values) => values.Where(double.IsFinite).DefaultIfEmpty(0).Min();

    private static double Max(double[] values) => values.Where(double.IsFinite).DefaultIfEmpty(1).Max();
}
