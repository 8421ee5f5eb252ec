using MathNet.Numerics.LinearAlgebra;
using ScottPlot;

namespace EmbeddingFaces;

/// <summary>The PNG figures: 2-D PCA projections of held-out embeddings and verification ROC curves.</summary>
public static class Plots
{
    /// <summary>
    /// Projects all <paramref name="embeddings"/> on their first two principal components and draws the rows whose label
    /// is in <paramref name="shown"/>, one colour per label.
    /// </summary>
    public static void Pca(string path, string title, float[][] embeddings, string[] labels, IReadOnlyList<string> shown)
    {
        var x = Matrix<double>.Build.DenseOfRowArrays(embeddings.Select(e => e.Select(v => (double)v).ToArray()));
        var mean = x.ColumnSums() / x.RowCount;
        var centred = x - Matrix<double>.Build.DenseOfRowVectors(Enumerable.Repeat(mean, x.RowCount));
        var covariance = centred.TransposeThisAndMultiply(centred) / Math.Max(1, x.RowCount - 1);
        var eigen = covariance.Evd(Symmetricity.Symmetric);
        int n = covariance.RowCount;
        var axes = Matrix<double>.Build.DenseOfColumnVectors(eigen.EigenVectors.Column(n - 1), eigen.EigenVectors.Column(n - 2));
        var projected = centred * axes;
        double explained = (eigen.EigenValues[n - 1].Real + eigen.EigenValues[n - 2].Real) / eigen.EigenValues.Sum(v => v.Real);

        var plot = new Plot();
        IPalette palette = shown.Count <= 10 ? new ScottPlot.Palettes.Category10() : new ScottPlot.Palettes.Category20();
        for (int c = 0; c < shown.Count; c++)
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == shown[c]).ToArray();
            var points = plot.Add.Scatter(rows.Select(i => projected[i, 0]).ToArray(), rows.Select(i => projected[i, 1]).ToArray());
            points.LineWidth = 0;
            points.MarkerSize = shown.Count > 10 ? 9 : 4;
            points.Color = palette.GetColor(c);
            points.LegendText = shown[c];
        }
        plot.Title($"{title} (PCA, {explained:P0} of variance)");
        plot.XLabel("PC 1");
        plot.YLabel("PC 2");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, 900, 700);
    }

    /// <summary>One ROC curve per representation, with the chance diagonal.</summary>
    public static void Roc(string path, string title, IReadOnlyList<(string Name, RocCurve Curve, double Auc)> curves)
    {
        var plot = new Plot();
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        chance.LegendText = "chance";
        foreach (var (name, curve, auc) in curves)
        {
            var line = plot.Add.ScatterLine(curve.FalseAcceptRate, curve.TrueAcceptRate);
            line.LineWidth = 2;
            line.LegendText = $"{name} (AUC {auc:F3})";
        }
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title(title);
        plot.XLabel("false accept rate (different label, called same)");
        plot.YLabel("true accept rate (same label, called same)");
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, 800, 650);
    }

    /// <summary>Writes to a temporary file and renames it, so a reader never sees half an image.</summary>
    private static void Save(Plot plot, string path, int width, int height)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileNameWithoutExtension(path)}.{Guid.NewGuid():N}.png");
        plot.SavePng(temporary, width, height);
        File.Move(temporary, path, overwrite: true);
    }
}
