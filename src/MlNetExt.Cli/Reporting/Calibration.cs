namespace MlNetExt.Cli.Reporting;

/// <summary>Reliability-diagram bins: points sorted by prediction, cut into equal-count groups, each group's mean
/// prediction against its mean observation.</summary>
internal static class Calibration
{
    public static (double[] Predicted, double[] Observed) Bins(double[] predicted, double[] observed, int bins)
    {
        int[] order = Enumerable.Range(0, predicted.Length).Where(i => double.IsFinite(predicted[i]) && double.IsFinite(observed[i]))
            .OrderBy(i => predicted[i]).ToArray();
        bins = Math.Max(1, Math.Min(bins, order.Length));
        var x = new double[bins];
        var y = new double[bins];
        for (int b = 0; b < bins; b++)
        {
            int start = b * order.Length / bins, end = (b + 1) * order.Length / bins;
            var members = order[start..end];
            x[b] = members.Average(i => predicted[i]);
            y[b] = members.Average(i => observed[i]);
        }
        return (x, y);
    }
}
