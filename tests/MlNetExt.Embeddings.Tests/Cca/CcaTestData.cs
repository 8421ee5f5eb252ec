using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;

namespace MlNetExt.Embeddings.Tests.Cca;

internal static class CcaTestData
{
    /// <summary>
    /// Two linear views of two shared latents: view A holds z1 + N(0, 0.25) and z2 + N(0, 1), view B likewise, each
    /// mixed by a random invertible matrix and padded with independent noise: true canonical correlations 0.8 and 0.5.
    /// </summary>
    public static (float[][] A, float[][] B) Linear(int rows, int seed)
    {
        var random = new Random(seed);
        var normal = new Normal(0, 1, random);
        var mixing = new Random(1000); // the same views for every sample seed
        var mixA = RandomMatrix(4, mixing);
        var mixB = RandomMatrix(5, mixing);
        var a = new float[rows][];
        var b = new float[rows][];
        for (int i = 0; i < rows; i++)
        {
            double z1 = normal.Sample(), z2 = normal.Sample();
            var rawA = new[] { z1 + 0.5 * normal.Sample(), z2 + normal.Sample(), normal.Sample(), normal.Sample() };
            var rawB = new[] { z1 + 0.5 * normal.Sample(), z2 + normal.Sample(), normal.Sample(), normal.Sample(), normal.Sample() };
            a[i] = Mix(mixA, rawA);
            b[i] = Mix(mixB, rawB);
        }
        return (a, b);
    }

    /// <summary>
    /// A non-linear shared signal z ~ U(-1, 1): view A = (z + noise, two noise columns), view B = (sin 2πz + noise,
    /// one noise column), mixed. Linear CCA only reaches corr(z, sin 2πz) ≈ 0.39; an encoder of view A can learn sin 2πz.
    /// </summary>
    public static (float[][] A, float[][] B) NonLinear(int rows, int seed)
    {
        var random = new Random(seed);
        var normal = new Normal(0, 1, random);
        var mixing = new Random(1000);
        var mixA = RandomMatrix(3, mixing);
        var mixB = RandomMatrix(2, mixing);
        var a = new float[rows][];
        var b = new float[rows][];
        for (int i = 0; i < rows; i++)
        {
            double z = random.NextDouble() * 2 - 1;
            a[i] = Mix(mixA, new[] { z + 0.05 * normal.Sample(), normal.Sample(), normal.Sample() });
            b[i] = Mix(mixB, new[] { Math.Sin(2 * Math.PI * z) + 0.05 * normal.Sample(), normal.Sample() });
        }
        return (a, b);
    }

    public static double[] HeldOutCorrelations(IDataView scored, string columnA = "ViewAEmbedding", string columnB = "ViewBEmbedding")
    {
        var a = EmbeddingData.Column(scored, columnA);
        var b = EmbeddingData.Column(scored, columnB);
        return Enumerable.Range(0, a[0].Length)
            .Select(j => Correlation.Pearson(a.Select(r => (double)r[j]), b.Select(r => (double)r[j])))
            .ToArray();
    }

    private static double[,] RandomMatrix(int n, Random random)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i, j] = (i == j ? 2 : 0) + random.NextDouble() - 0.5;
        return m;
    }

    private static float[] Mix(double[,] m, double[] x)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double s = 0;
            for (int j = 0; j < x.Length; j++) s += m[i, j] * x[j];
            y[i] = (float)s;
        }
        return y;
    }
}
