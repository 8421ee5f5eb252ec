namespace SpikingNeurons;

/// <summary>One spike: which neuron fired and when.</summary>
public sealed class SpikeEvent
{
    public int Neuron { get; set; }
    public double Time { get; set; }
}

/// <summary>
/// Neurons with non-linear tuning to the rider's state: Gaussian bumps on speed, sigmoids on lean, throttle x speed
/// products, lagged brake and throttle responses and lean x speed fields. Rates are in Hz; spikes are an
/// inhomogeneous Poisson process (rate held over each covariate sample).
/// </summary>
public sealed class NeuronPopulation
{
    private readonly Func<CovariateSample[], int, double>[] _tuning;

    public NeuronPopulation(int count, Random rng)
    {
        _tuning = Enumerable.Range(0, count).Select(n => MakeTuning(n % 6, rng)).ToArray();
        Kinds = Enumerable.Range(0, count).Select(n => KindNames[n % 6]).ToArray();
    }

    private static readonly string[] KindNames = { "speed bump", "lean sigmoid", "throttle x speed", "brake (lagged)", "lean x speed", "throttle (lagged)" };

    public int Count => _tuning.Length;
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>Rate (Hz) of neuron <paramref name="n"/> at covariate sample <paramref name="i"/>.</summary>
    public double Rate(int n, CovariateSample[] c, int i) => _tuning[n](c, i);

    private static double U(Random rng, double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
    private static double Bump(double x, double centre, double width) => Math.Exp(-(x - centre) * (x - centre) / (2 * width * width));
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static Func<CovariateSample[], int, double> MakeTuning(int kind, Random rng)
    {
        double baseline = U(rng, 0.5, 3), gain = U(rng, 15, 40);
        switch (kind)
        {
            case 0:
            {
                double centre = U(rng, 8, 28), width = U(rng, 2.5, 5);
                return (c, i) => baseline + gain * Bump(c[i].Speed, centre, width);
            }
            case 1:
            {
                double threshold = U(rng, -0.3, 0.3), sign = rng.Next(2) == 0 ? -1 : 1;
                return (c, i) => baseline + gain * Sigmoid(sign * (c[i].Lean - threshold) / 0.08);
            }
            case 2:
            {
                double centre = U(rng, 10, 25);
                return (c, i) => baseline + gain * c[i].Throttle * Bump(c[i].Speed, centre, 6);
            }
            case 3:
            {
                int lag = rng.Next(8, 16);   // 80-150 ms at 10 ms samples
                return (c, i) => baseline + 1.5 * gain * c[Math.Max(0, i - lag)].Brake;
            }
            case 4:
            {
                double lean = U(rng, -0.4, 0.4), speed = U(rng, 10, 25);
                return (c, i) => baseline + gain * Bump(c[i].Lean, lean, 0.15) * Bump(c[i].Speed, speed, 5);
            }
            default:
            {
                int lag = rng.Next(5, 12);
                return (c, i) => baseline + gain * Sigmoid((c[Math.Max(0, i - lag)].Throttle - 0.5) / 0.1);
            }
        }
    }

    /// <summary>Spike times of every neuron, sorted by time, and the true rate of every neuron at every sample.</summary>
    public (SpikeEvent[] Spikes, float[,] Rates) Fire(CovariateSample[] covariates, double dt, Random rng)
    {
        var rates = new float[covariates.Length, Count];
        var spikes = new List<SpikeEvent>();
        for (int i = 0; i < covariates.Length; i++)
        {
            var inSample = new List<SpikeEvent>();
            for (int n = 0; n < Count; n++)
            {
                double rate = Rate(n, covariates, i);
                rates[i, n] = (float)rate;
                int k = Poisson(rate * dt, rng);
                for (int j = 0; j < k; j++) inSample.Add(new SpikeEvent { Neuron = n, Time = covariates[i].Time + rng.NextDouble() * dt });
            }
            inSample.Sort((a, b) => a.Time.CompareTo(b.Time));
            spikes.AddRange(inSample);
        }
        return (spikes.ToArray(), rates);
    }

    private static int Poisson(double lambda, Random rng)
    {
        double limit = Math.Exp(-lambda), p = 1;
        int k = -1;
        do { k++; p *= rng.NextDouble(); } while (p > limit);
        return k;
    }
}
