using ScottPlot;

namespace MlNetExt.Samples.DetectingTumors;

/// <summary>ScottPlot charts of the results.</summary>
internal static class Charts
{
    /// <summary>2 x 2 confusion matrix (rows: truth, columns: prediction) of one run.</summary>
    public static void ConfusionMatrix(RunResult run, string path)
    {
        var counts = run.Metrics.ConfusionMatrix.Counts;
        // ML.NET orders binary classes positive first.
        var values = new double[2, 2];
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 2; c++)
                values[r, c] = counts[r][c];
        var plot = new Plot();
        plot.Add.Heatmap(values);
        string[] names = ["tumour", "healthy"];
        for (int r = 0; r < 2; r++)
        {
            for (int c = 0; c < 2; c++)
            {
                var text = plot.Add.Text($"{names[r]} -> {names[c]}: {values[r, c]}", c, 1 - r);
                text.LabelFontSize = 16;
                text.LabelFontColor = Colors.White;
                text.LabelAlignment = Alignment.MiddleCenter;
            }
        }
        plot.Title($"Confusion matrix: {run.Name}");
        plot.SavePng(path, 700, 600);
    }

    /// <summary>Training loss per epoch (all stages) of every run.</summary>
    public static void TrainingCurves(IReadOnlyList<RunResult> runs, string path)
    {
        var plot = new Plot();
        foreach (var run in runs)
        {
            double[] epochs = Enumerable.Range(1, run.History.Count).Select(e => (double)e).ToArray();
            double[] losses = run.History.Select(h => h.TrainLoss).ToArray();
            var line = plot.Add.Scatter(epochs, losses);
            line.LegendText = run.Name;
        }
        plot.XLabel("epoch (head stage, then fine-tune stage)");
        plot.YLabel("training loss (class-balanced BCE)");
        plot.ShowLegend();
        plot.SavePng(path, 1000, 650);
    }
}
