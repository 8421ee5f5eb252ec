using MlNetExt.Core.Training;
using static TorchSharp.torch;
using MlNetExt.Core.Torch;

namespace MlNetExt.Regression.Counts;

/// <summary>Feature means and scales, and the mean log-rate per output, from one pass over the training data.</summary>
internal sealed record TrainingStatistics(float[] FeatureMean, float[] FeatureScale, float[] InitialLogRate)
{
    public static TrainingStatistics Compute(DataViewTensorSource train, string features, string label, string? exposure)
    {
        int f = train.Width(features), k = train.Width(label);
        var sum = new double[f];
        var sumSq = new double[f];
        var countSum = new double[k];
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
                Accumulate(batch[label].to_type(ScalarType.Float64).sum(new long[] { 0 }), countSum);
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
        return new TrainingStatistics(mean, scale, logRate);
    }

    private static void Accumulate(Tensor values, double[] into)
    {
        var data = values.data<double>();
        for (int i = 0; i < into.Length; i++) into[i] += data[i];
    }
}
