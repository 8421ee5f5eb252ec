using Microsoft.ML.Data;

namespace MlNetExt.Regression.Tests.Counts;

/// <summary>Random draws for simulated count data (Poisson, gamma, normal) with a seeded generator.</summary>
internal sealed class CountSimulation(int seed)
{
    private readonly Random _rng = new(seed);

    public double Normal()
    {
        double u1 = 1 - _rng.NextDouble(), u2 = _rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public double Uniform(double lo, double hi) => lo + (hi - lo) * _rng.NextDouble();

    /// <summary>Poisson draw by counting exponential inter-arrival times (fine for the small rates used here).</summary>
    public int Poisson(double lambda)
    {
        if (lambda > 60) return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * Normal()));
        double limit = Math.Exp(-lambda), p = 1;
        int k = -1;
        do { k++; p *= _rng.NextDouble(); } while (p > limit);
        return k;
    }

    /// <summary>Gamma(shape, scale 1) by Marsaglia and Tsang.</summary>
    public double Gamma(double shape)
    {
        if (shape < 1) return Gamma(shape + 1) * Math.Pow(_rng.NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x = Normal(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = _rng.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    /// <summary>NB2 draw with mean mu and dispersion alpha (Var = mu + alpha mu^2) as a gamma-Poisson mixture.</summary>
    public int NegativeBinomial(double mu, double alpha) => Poisson(mu * alpha * Gamma(1 / alpha));
}

public sealed class CountRow
{
    [VectorType(3)] public float[] Features { get; set; } = [];
    public float Label { get; set; }
    public float Exposure { get; set; } = 1;
    public float TrueRate { get; set; }
}

public sealed class MultiCountRow
{
    [VectorType(3)] public float[] Features { get; set; } = [];
    [VectorType(4)] public float[] Counts { get; set; } = [];
    [VectorType(4)] public float[] TrueRate { get; set; } = [];
}

internal static class CountData
{
    /// <summary>A non-linear log-rate of three standard-normal features.</summary>
    public static double LogRate(float[] x) => 0.2 + 0.6 * x[0] - 0.4 * x[1] + 0.8 * Math.Sin(2 * x[2]) - 0.3 * x[0] * x[0];

    public static CountRow[] Poisson(int n, int seed, bool withExposure = false)
    {
        var sim = new CountSimulation(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var x = new[] { (float)sim.Normal(), (float)sim.Normal(), (float)sim.Normal() };
            float exposure = withExposure ? (float)sim.Uniform(0.2, 3) : 1f;
            double mu = exposure * Math.Exp(LogRate(x));
            return new CountRow { Features = x, Label = sim.Poisson(mu), Exposure = exposure, TrueRate = (float)mu };
        }).ToArray();
    }

    public static CountRow[] NegativeBinomial(int n, int seed, double alpha)
    {
        var sim = new CountSimulation(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var x = new[] { (float)sim.Normal(), (float)sim.Normal(), (float)sim.Normal() };
            double mu = Math.Exp(1.0 + 0.5 * x[0] - 0.3 * x[1]);
            return new CountRow { Features = x, Label = sim.NegativeBinomial(mu, alpha), TrueRate = (float)mu };
        }).ToArray();
    }

    public static MultiCountRow[] MultiPoisson(int n, int seed)
    {
        var sim = new CountSimulation(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var x = new[] { (float)sim.Normal(), (float)sim.Normal(), (float)sim.Normal() };
            var mu = new[]
            {
                Math.Exp(LogRate(x)), Math.Exp(-0.5 + 1.2 * Math.Exp(-x[0] * x[0])), Math.Exp(0.5 - 0.7 * x[2]), 0.1 + 3 / (1 + Math.Exp(-3 * x[1])),
            };
            return new MultiCountRow
            {
                Features = x,
                Counts = mu.Select(m => (float)sim.Poisson(m)).ToArray(),
                TrueRate = mu.Select(m => (float)m).ToArray(),
            };
        }).ToArray();
    }
}
