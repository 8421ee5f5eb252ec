using Microsoft.ML.Data;

namespace AtomUncertainty;

/// <summary>One simulated measurement of a hydrogen atom's position relative to the heavy atom it is bonded to.</summary>
public sealed class AtomObservation
{
    public const int DescriptorCount = 6;

    /// <summary>Electronegativity difference, bond angle (rad), cos and sin of the dihedral, temperature / 300 K, partner mass / 12 u.</summary>
    [VectorType(DescriptorCount)] public float[] Features { get; set; } = [];

    /// <summary>Measured position x, y, z in angstrom.</summary>
    [VectorType(3)] public float[] Label { get; set; } = [];

    /// <summary>The noise-free position (the simulator's truth).</summary>
    [VectorType(3)] public float[] TruePosition { get; set; } = [];

    /// <summary>The true standard deviation of each coordinate's measurement noise.</summary>
    [VectorType(3)] public float[] TrueStdDev { get; set; } = [];
}

/// <summary>
/// Simulates positions whose noise depends on the inputs (heteroscedastic): thermal vibration grows with temperature
/// and shrinks with the bonded partner's mass (sigma ~ sqrt(T / m)), is larger across the bond than along it, and sits on
/// a floor of instrument noise. The mean is a smooth function of the descriptors: spherical coordinates around the partner
/// with a bond length set by the electronegativity difference.
/// </summary>
public static class AtomPositionSimulator
{
    public static AtomObservation[] Simulate(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new AtomObservation[count];
        for (int i = 0; i < count; i++)
        {
            double electronegativity = Uniform(random, 0, 1.5);      // e.g. C-H ~0.35, N-H ~0.85, O-H ~1.25
            double angle = Uniform(random, 1.6, 2.2);                 // bond angle to the z axis, rad
            double dihedral = Uniform(random, -Math.PI, Math.PI);
            double temperature = Uniform(random, 0.02, 3.0);          // in units of 300 K (6 K .. 900 K)
            double mass = Uniform(random, 1.0, 2.7);                  // partner mass in units of 12 u (C .. S)

            double bondLength = 1.09 - 0.11 * electronegativity + 0.03 * electronegativity * electronegativity;
            double[] position =
            [
                bondLength * Math.Sin(angle) * Math.Cos(dihedral),
                bondLength * Math.Sin(angle) * Math.Sin(dihedral),
                bondLength * Math.Cos(angle),
            ];
            double thermal = Math.Sqrt(temperature / mass);
            double[] sigma = [0.003 + 0.05 * thermal, 0.003 + 0.05 * thermal, 0.003 + 0.02 * thermal];
            rows[i] = new AtomObservation
            {
                Features = [(float)electronegativity, (float)angle, (float)Math.Cos(dihedral), (float)Math.Sin(dihedral),
                    (float)temperature, (float)mass],
                TruePosition = position.Select(p => (float)p).ToArray(),
                TrueStdDev = sigma.Select(s => (float)s).ToArray(),
                Label = position.Select((p, c) => (float)(p + sigma[c] * Normal(random))).ToArray(),
            };
        }
        return rows;
    }

    private static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
