using ScottPlot;

namespace BrainsOnForrestGump;

/// <summary>Plots a true shared signal against the canonical variates that recovered it.</summary>
public static class SignalPlot
{
    public static void Save(string path, string title, double[] truth, IReadOnlyList<(string Name, double[] Values)> recovered)
    {
        var plot = new Plot();
        var time = Enumerable.Range(0, truth.Length).Select(t => (double)t).ToArray();
        var line = plot.Add.ScatterLine(time, Standardise(truth));
        line.LegendText = "true shared signal";
        line.LineWidth = 3;
        line.Color = Colors.Black;
        var palette = new[] { Colors.OrangeRed, Colors.SteelBlue, Colors.SeaGreen };
        for (int i = 0; i < recovered.Count; i++)
        {
            var r = plot.Add.ScatterLine(time, Standardise(recovered[i].Values));
            r.LegendText = recovered[i].Name;
            r.Color = palette[i % palette.Length];
            if (i > 0) r.LinePattern = LinePattern.Dashed;
        }
        plot.Title(title);
        plot.XLabel("held-out time point");
        plot.YLabel("z-score");
        plot.ShowLegend(Alignment.UpperRight);
        string temp = path + ".tmp.png";
        plot.SavePng(temp, 1400, 450);
        File.Move(temp, path, overwrite: true);
    }

    public static double[] Standardise(double[] values)
    {
        double mean = values.Average(), sd = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        return values.Select(v => (v - mean) / (sd > 0 ? sd : 1)).ToArray();
    }
}
