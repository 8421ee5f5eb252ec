using ScottPlot;

namespace SpikingNeurons;

/// <summary>True vs predicted firing rate over time for a few neurons, one panel each, in one PNG.</summary>
public static class RatePlot
{
    public static void Save(string path, double[] time, IReadOnlyList<(int Neuron, string Kind, float[] TrueRate, float[] Poisson, float[] Mse)> panels)
    {
        var multiplot = new Multiplot();
        for (int p = 0; p < panels.Count; p++)
        {
            var panel = panels[p];
            Plot plot;
            if (p == 0) { plot = new Plot(); multiplot.Reset(plot); }   // a new multiplot holds one empty plot: replace it
            else plot = multiplot.AddPlot();
            var truth = plot.Add.ScatterLine(time, panel.TrueRate.Select(v => (double)v).ToArray());
            truth.LegendText = "true rate";
            truth.LineWidth = 2;
            truth.Color = Colors.Black;
            var poisson = plot.Add.ScatterLine(time, panel.Poisson.Select(v => (double)v).ToArray());
            poisson.LegendText = "neural Poisson";
            poisson.Color = Colors.OrangeRed;
            var mse = plot.Add.ScatterLine(time, panel.Mse.Select(v => (double)v).ToArray());
            mse.LegendText = "MSE-trained MLP";
            mse.Color = Colors.SteelBlue;
            mse.LinePattern = LinePattern.Dashed;
            plot.Title($"neuron {panel.Neuron} ({panel.Kind})");
            plot.YLabel("rate (Hz)");
            plot.XLabel("time (s)");
            plot.ShowLegend(Alignment.UpperRight);
        }
        string temp = path + ".tmp.png";
        multiplot.SavePng(temp, 1400, 300 * panels.Count);
        File.Move(temp, path, overwrite: true);
    }
}
