using MlNetExt.Core.Training;
using ScottPlot;

namespace MlNetExt.Cli.Reporting;

/// <summary>The report's plots, drawn with ScottPlot and returned as PNG bytes (inlined into report.html).</summary>
internal static class Charts
{
    public const int Width = 640;
    public const int Height = 420;

    /// <summary>Training and validation loss per epoch over every stage (stages marked by a vertical line), and the first
    /// validation metric when there is one.</summary>
    public static byte[] TrainingCurves(TrainingHistory history)
    {
        var plot = new Plot();
        double[] epochs = Enumerable.Range(1, history.Count).Select(i => (double)i).ToArray();
        var train = plot.Add.Scatter(epochs, history.Select(p => p.TrainLoss).ToArray());
        train.LegendText = "train loss";
        if (history.Any(p => p.ValidationLoss is not null))
        {
            var validation = plot.Add.Scatter(epochs, history.Select(p => p.ValidationLoss ?? double.NaN).ToArray());
            validation.LegendText = "validation loss";
        }
        int boundary = 0;
        foreach (var stage in history.Stages.Take(history.Stages.Count - 1))
        {
            boundary += stage.EpochsRun;
            if (boundary == 0) continue;
            var line = plot.Add.VerticalLine(boundary + 0.5);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
            line.LegendText = $"end of '{stage.Stage}'";
        }
        plot.Title("Training curves");
        plot.XLabel("epoch (all stages)");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    /// <summary>One validation metric per epoch.</summary>
    public static byte[] MetricCurve(TrainingHistory history, string metric)
    {
        var plot = new Plot();
        double[] epochs = Enumerable.Range(1, history.Count).Select(i => (double)i).ToArray();
        plot.Add.Scatter(epochs, history.Select(p => p.Metrics.TryGetValue(metric, out var v) ? v : double.NaN).ToArray());
        plot.Title($"Validation {metric}");
        plot.XLabel("epoch (all stages)");
        plot.YLabel(metric);
        return Png(plot);
    }

    /// <summary>Points y against x with the y = x diagonal (predicted against observed).</summary>
    public static byte[] ScatterWithDiagonal(double[] x, double[] y, string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(x, y);
        points.MarkerSize = 4;
        points.LegendText = "held-out rows";
        double low = Math.Min(Min(x), Min(y)), high = Math.Max(Max(x), Max(y));
        if (high <= low) high = low + 1;
        var diagonal = plot.Add.Line(low, low, high, high);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "y = x";
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot);
    }

    /// <summary>Curves through points (x, y), with an optional dashed reference line from (0,0) to (1,1).</summary>
    public static byte[] Curves(IReadOnlyList<(string Name, double[] X, double[] Y)> curves, string title, string xLabel, string yLabel,
        bool unitDiagonal = false, (double X, double Y, string Label)? marker = null, bool unitSquare = false, bool dataDiagonal = false)
    {
        var plot = new Plot();
        if (dataDiagonal)
        {
            double low = curves.Min(c => Math.Min(Min(c.X), Min(c.Y))), high = curves.Max(c => Math.Max(Max(c.X), Max(c.Y)));
            var diagonal = plot.Add.Line(low, low, high, high);
            diagonal.LinePattern = LinePattern.Dashed;
            diagonal.Color = Colors.Gray;
            diagonal.LegendText = "y = x";
        }
        if (unitDiagonal)
        {
            var diagonal = plot.Add.Line(0, 0, 1, 1);
            diagonal.LinePattern = LinePattern.Dashed;
            diagonal.Color = Colors.Gray;
            diagonal.LegendText = "ideal / chance";
        }
        foreach (var (name, x, y) in curves)
        {
            var curve = plot.Add.Scatter(x, y);
            curve.LegendText = name;
            curve.MarkerSize = x.Length > 60 ? 0 : 5;
        }
        if (marker is { } m)
        {
            var point = plot.Add.Marker(m.X, m.Y);
            point.MarkerSize = 12;
            point.LegendText = m.Label;
        }
        if (unitSquare)
            plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        return Png(plot);
    }

    /// <summary>Bars with a label each.</summary>
    public static byte[] Bars(IReadOnlyList<(string Group, string[] Labels, double[] Values)> series, string title, string yLabel)
    {
        var plot = new Plot();
        int groups = series.Count;
        int count = series.Max(s => s.Values.Length);
        var palette = new ScottPlot.Palettes.Category10();
        for (int g = 0; g < groups; g++)
        {
            var bars = series[g].Values.Select((v, i) => new Bar
            {
                Position = i * (groups + 1) + g,
                Value = v,
                FillColor = palette.GetColor(g),
            }).ToArray();
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = series[g].Group;
        }
        var ticks = Enumerable.Range(0, count).Select(i => new Tick(i * (groups + 1) + (groups - 1) / 2.0, series[0].Labels.ElementAtOrDefault(i) ?? "")).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(yLabel);
        if (groups > 1) plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    /// <summary>Points coloured by group (a 2-D projection of embeddings).</summary>
    public static byte[] GroupedPoints(double[] x, double[] y, IReadOnlyList<string> groups, string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        var names = groups.Distinct().ToArray();
        for (int g = 0; g < names.Length; g++)
        {
            int[] members = Enumerable.Range(0, groups.Count).Where(i => groups[i] == names[g]).ToArray();
            var points = plot.Add.ScatterPoints(members.Select(i => x[i]).ToArray(), members.Select(i => y[i]).ToArray());
            points.MarkerSize = 6;
            points.Color = palette.GetColor(g);
            points.LegendText = names.Length <= 20 ? names[g] : "";
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (names.Length <= 20) plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    public static byte[] Png(Plot plot, int width = Width, int height = Height) => plot.GetImageBytes(width, height, ImageFormat.Png);

    private static double Min(double[] values) => values.Where(double.IsFinite).DefaultIfEmpty(0).Min();

    private static double Max(double[] values) => values.Where(double.IsFinite).DefaultIfEmpty(1).Max();
}
