namespace MlNetExt.Cli.Reporting;

/// <summary>
/// A receiver operating characteristic for the report: the true positive rate against the false positive rate as the
/// decision threshold sweeps the scores from high to low (tied scores move together, so ties count half in the area).
/// </summary>
internal sealed class RocCurve
{
    private const int MaxPlotPoints = 400;

    private RocCurve(double[] falsePositiveRate, double[] truePositiveRate, double area)
    {
        FalsePositiveRate = falsePositiveRate;
        TruePositiveRate = truePositiveRate;
        Area = area;
    }

    /// <summary>From (0, 0) to (1, 1), one point per distinct score.</summary>
    public double[] FalsePositiveRate { get; }

    public double[] TruePositiveRate { get; }

    /// <summary>The area under the curve (trapezoids), P(score of a positive &gt; score of a negative) + P(tie) / 2.</summary>
    public double Area { get; }

    /// <summary>The curve of <paramref name="scores"/> (higher: more likely positive) for rows labelled <paramref name="positive"/>;
    /// null when either class is absent.</summary>
    public static RocCurve? From(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        int[] order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        long positives = positive.Count(p => p), negatives = positive.Count - positives;
        if (positives == 0 || negatives == 0)
            return null;
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        long truePositives = 0, falsePositives = 0;
        double area = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j < order.Length && scores[order[j]] == scores[order[i]])
            {
                if (positive[order[j]]) truePositives++; else falsePositives++;
                j++;
            }
            double x = (double)falsePositives / negatives, y = (double)truePositives / positives;
            area += (x - fpr[^1]) * (y + tpr[^1]) / 2;
            fpr.Add(x);
            tpr.Add(y);
            i = j;
        }
        return new RocCurve(fpr.ToArray(), tpr.ToArray(), area);
    }

    /// <summary>At most <see cref="MaxPlotPoints"/> points of the curve (evenly spaced by index, ends kept), for a light SVG.</summary>
    public (double[] X, double[] Y) PlotPoints()
    {
        int n = FalsePositiveRate.Length;
        if (n <= MaxPlotPoints)
            return (FalsePositiveRate, TruePositiveRate);
        int[] keep = Enumerable.Range(0, MaxPlotPoints).Select(k => (int)Math.Round(k * (n - 1) / (double)(MaxPlotPoints - 1))).Distinct().ToArray();
        return (keep.Select(i => FalsePositiveRate[i]).ToArray(), keep.Select(i => TruePositiveRate[i]).ToArray());
    }
}
