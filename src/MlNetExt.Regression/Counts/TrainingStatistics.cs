using MlNetExt.Core.Torch;
using MlNetExt.Core.Training;
using MlNetExt.Regression.Data;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Counts;

/// <summary>Feature means and scales, the mean log-rate per output, and the label's spread, from one pass over the training data.</summary>
internal sealed record TrainingStatistics(float[] FeatureMean, float[] FeatureScale, float[] InitialLogRate, long Rows,
    double[] CountSum, double[] CountSumOfSquares, double[] CountMin, double[] CountMax)
{
    public static TrainingStatistics Compute(DataViewTensorSource train, string features, string label, string? exposure)
    {
        int f = train.Width(features), k = train.Width(label);
        var sum = new double[f];
        var sumSq = new double[f];
        var countSum = new double[k];
        var countSumSq = new double[k];
        var countMin = Enumerable.Repeat(double.PositiveInfinity, k).ToArray();
        var countMax = Enumerable.Repeat(double.NegativeInfinity, k).ToArray();
        double exposureSum = 0;
        long rows = 0;
        foreach (var batch in train.GetBatches(8192, shuffle: false, seed: 0))
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var x = batch[features].to_type(ScalarType.Float64);
                Accumulate(x.sum(new long[] { 0 }), sum);
                Accumulate(x.Squared().sum(new long[] { 0 }), sumSq);
                var counts = batch[label].to_type(ScalarType.Float64);
                Accumulate(counts.sum(new long[] { 0 }), countSum);
                Accumulate(counts.Squared().sum(new long[] { 0 }), countSumSq);
                var (low, _) = counts.min(0);
                var (high, _) = counts.max(0);
                Extend(low, countMin, Math.Min);
                Extend(high, countMax, Math.Max);
                exposureSum += exposure is null ? batch.Count : batch[exposure].to_type(ScalarType.Float64).sum().item<double>();
                rows += batch.Count;
            }
        }
        var mean = new float[f];
        var scale = new float[f];
        for (int j = 0; j < f; j++)
        {
            double m = sum[j] / rows;
            double variance = Math.Max(sumSq[j] / rows - m * m, 0);
            mean[j] = (float)m;
            scale[j] = variance > 1e-12 ? (float)(1 / Math.Sqrt(variance)) : 1f;
        }
        // Start every output at its mean rate (a floor keeps silent outputs finite).
        var logRate = countSum.Select(s => (float)Math.Log(Math.Max(s, 0.5) / exposureSum)).ToArray();
        return new TrainingStatistics(mean, scale, logRate, rows, countSum, countSumSq, countMin, countMax);
    }

    /// <summary>One warning per output that a single extreme count dominates (see <see cref="ExtremeLabelValues"/>).</summary>
    public IEnumerable<string> ExtremeCountWarnings(string labelColumn, bool vectorLabel)
    {
        for (int i = 0; i < CountSum.Length; i++)
        {
            if (ExtremeLabelValues.Describe(labelColumn, vectorLabel ? i : null, Rows, CountSum[i], CountSumOfSquares[i], CountMin[i], CountMax[i])
                is string warning)
                yield return warning;
        }
    }

    private static void Accumulate(Tensor values, double[] into)
    {
        var data = values.data<double>();
        for (int i = 0; i < into.Length; i++) into[i] += data[i];
    }

    private static void Extend(Tensor values, double[] into, Func<double, double, double> pick)
    {
        var data = values.data<double>();
        for (int i = 0; i < into.Length; i++) into[i] = pick(into[i], data[i]);
    }
}
