using MlNetExt.Core.Torch;
using MlNetExt.Core.Training;
using MlNetExt.Regression.Data;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Gaussian;

/// <summary>
/// Per-column mean and scale of the features and the label on the training data. The network sees
/// (x - FeatureMean) / FeatureScale and predicts standardised labels; predictions go back to label units as
/// mean * LabelScale + LabelMean and sigma * LabelScale (in TorchSharp and in the exported ONNX graph alike).
/// </summary>
internal sealed record GaussianStandardization(float[] FeatureMean, float[] FeatureScale, float[] LabelMean, float[] LabelScale)
{
    /// <summary>Warnings about label coordinates that one extreme row dominates (see <see cref="ExtremeLabelValues"/>);
    /// filled by <see cref="Compute"/>.</summary>
    public IReadOnlyList<string> ExtremeLabelWarnings { get; init; } = [];

    /// <summary>Means and population standard deviations over every row of <paramref name="source"/>;
    /// a column with (numerically) no spread gets scale 1.</summary>
    public static GaussianStandardization Compute(DataViewTensorSource source, string featureColumn, string labelColumn)
    {
        var features = new RunningMoments(source.Width(featureColumn));
        var labels = new RunningMoments(source.Width(labelColumn));
        foreach (var batch in source.GetBatches(4096, shuffle: false, seed: 0))
        {
            using (batch)
            {
                features.Add(batch[featureColumn]);
                labels.Add(batch[labelColumn]);
            }
        }
        if (features.Count == 0)
            throw new ArgumentException(
                $"The training data has no rows: NeuralGaussian needs rows with a label '{labelColumn}' and features '{featureColumn}'.", "data");
        var (featureMean, featureScale) = features.MeanAndScale();
        var (labelMean, labelScale) = labels.MeanAndScale();
        return new GaussianStandardization(featureMean, featureScale, labelMean, labelScale)
        {
            ExtremeLabelWarnings = labels.ExtremeValueWarnings(labelColumn).ToArray(),
        };
    }

    /// <summary>Sums and sums of squares per column, in double precision.</summary>
    private sealed class RunningMoments(int width)
    {
        private readonly double[] _sum = new double[width];
        private readonly double[] _sumOfSquares = new double[width];
        private readonly double[] _min = Enumerable.Repeat(double.PositiveInfinity, width).ToArray();
        private readonly double[] _max = Enumerable.Repeat(double.NegativeInfinity, width).ToArray();

        public long Count { get; private set; }

        public void Add(Tensor batch)
        {
            using var scope = NewDisposeScope();
            var values = batch.to_type(ScalarType.Float64).reshape(-1, width);
            var sums = values.sum(dim: 0).data<double>().ToArray();
            var squares = values.Squared().sum(dim: 0).data<double>().ToArray();
            var (low, _) = values.min(0);
            var (high, _) = values.max(0);
            var lows = low.data<double>().ToArray();
            var highs = high.data<double>().ToArray();
            for (int i = 0; i < width; i++)
            {
                _sum[i] += sums[i];
                _sumOfSquares[i] += squares[i];
                _min[i] = Math.Min(_min[i], lows[i]);
                _max[i] = Math.Max(_max[i], highs[i]);
            }
            Count += values.shape[0];
        }

        public IEnumerable<string> ExtremeValueWarnings(string column)
        {
            for (int i = 0; i < width; i++)
            {
                if (ExtremeLabelValues.Describe(column, width > 1 ? i : null, Count, _sum[i], _sumOfSquares[i], _min[i], _max[i]) is string warning)
                    yield return warning;
            }
        }

        public (float[] Mean, float[] Scale) MeanAndScale()
        {
            var mean = new float[width];
            var scale = new float[width];
            for (int i = 0; i < width; i++)
            {
                double m = _sum[i] / Count;
                double variance = Math.Max(0, _sumOfSquares[i] / Count - m * m);
                double sd = Math.Sqrt(variance);
                mean[i] = (float)m;
                scale[i] = sd > 1e-6 * Math.Max(1, Math.Abs(m)) ? (float)sd : 1f;
            }
            return (mean, scale);
        }
    }
}
