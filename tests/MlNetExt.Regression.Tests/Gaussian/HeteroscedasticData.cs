using Microsoft.ML.Data;

namespace MlNetExt.Regression.Tests.Gaussian;

/// <summary>Synthetic regression data whose noise level depends on the inputs, with the true noise recorded.</summary>
internal static class HeteroscedasticData
{
    public const int FeatureCount = 3;

    public sealed class ScalarRow
    {
        [VectorType(FeatureCount)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
        public float TrueMean { get; set; }
        public float TrueStdDev { get; set; }
    }

    public sealed class VectorRow
    {
        [VectorType(FeatureCount)] public float[] Features { get; set; } = [];
        [VectorType(2)] public float[] Label { get; set; } = [];
        [VectorType(2)] public float[] TrueStdDev { get; set; } = [];
    }

    /// <summary>mean = sin(2 x0) + 0.5 x1; sigma = 0.1 + 0.2 (1 + x2) + 0.1 x0^2 (0.1 .. 0.6); x uniform on [-1, 1]^3.</summary>
    public static ScalarRow[] Scalar(int rows, int seed)
    {
        var random = new Random(seed);
        var result = new ScalarRow[rows];
        for (int i = 0; i < rows; i++)
        {
            var x = Features(random);
            float mean = MathF.Sin(2 * x[0]) + 0.5f * x[1];
            float sigma = StdDev0(x);
            result[i] = new ScalarRow { Features = x, TrueMean = mean, TrueStdDev = sigma, Label = mean + sigma * Normal(random) };
        }
        return result;
    }

    /// <summary>Two coordinates: the scalar case's, and mean = x0 * x1 with sigma = 0.5 - 0.2 (1 + x2) (0.1 .. 0.5).</summary>
    public static VectorRow[] Vector(int rows, int seed)
    {
        var random = new Random(seed);
        var result = new VectorRow[rows];
        for (int i = 0; i < rows; i++)
        {
            var x = Features(random);
            float[] sigma = [StdDev0(x), 0.5f - 0.2f * (1 + x[2])];
            float[] mean = [MathF.Sin(2 * x[0]) + 0.5f * x[1], x[0] * x[1]];
            result[i] = new VectorRow
            {
                Features = x, TrueStdDev = sigma,
                Label = [mean[0] + sigma[0] * Normal(random), mean[1] + sigma[1] * Normal(random)],
            };
        }
        return result;
    }

    private static float StdDev0(float[] x) => 0.1f + 0.2f * (1 + x[2]) + 0.1f * x[0] * x[0];

    private static float[] Features(Random random) =>
        Enumerable.Range(0, FeatureCount).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();

    private static float Normal(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
