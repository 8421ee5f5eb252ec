namespace BrainsOnForrestGump;

/// <summary>
/// A simulated "movie" feature stream and a "brain" stream (noisy voxels) that share a few smooth latent signals:
/// the movie features are linear in them, the voxels respond to non-linear transforms of them (tanh, square, sine);
/// each stream also carries its own private smooth signals and noise.
/// </summary>
public sealed record Recording(float[][] Movie, float[][] Brain, double[][] SharedResponses)
{
    public const int MovieFeatures = 20, Voxels = 200, SharedLatents = 3, PrivateLatents = 3;

    public static Recording Simulate(int timePoints, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        double[] Smooth()
        {
            // Gaussian noise smoothed by a 30-sample moving average, then standardised: a slow "story" signal.
            var raw = Enumerable.Range(0, timePoints + 30).Select(_ => Gaussian()).ToArray();
            var s = Enumerable.Range(0, timePoints).Select(t => raw.Skip(t).Take(30).Average()).ToArray();
            double mean = s.Average(), sd = Math.Sqrt(s.Select(v => (v - mean) * (v - mean)).Average());
            return s.Select(v => (v - mean) / sd).ToArray();
        }
        double[][] Weights(int rows, int cols) => Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => Gaussian()).ToArray()).ToArray();

        var shared = Enumerable.Range(0, SharedLatents).Select(_ => Smooth()).ToArray();
        var moviePrivate = Enumerable.Range(0, PrivateLatents).Select(_ => Smooth()).ToArray();
        var brainPrivate = Enumerable.Range(0, PrivateLatents).Select(_ => Smooth()).ToArray();
        // What the brain actually responds to: non-linear functions of the shared story signals.
        var responses = new[]
        {
            shared[0].Select(v => Math.Tanh(2 * v)).ToArray(),
            shared[1].Select(v => v * v - 1).ToArray(),
            shared[2].Select(v => Math.Sin(2 * v)).ToArray(),
        };
        var movieShared = Weights(MovieFeatures, SharedLatents);
        var movieOwn = Weights(MovieFeatures, PrivateLatents);
        var brainShared = Weights(Voxels, SharedLatents);
        var brainOwn = Weights(Voxels, PrivateLatents);

        var movie = new float[timePoints][];
        var brain = new float[timePoints][];
        for (int t = 0; t < timePoints; t++)
        {
            movie[t] = new float[MovieFeatures];
            for (int f = 0; f < MovieFeatures; f++)
            {
                double v = 0.3 * Gaussian();
                for (int k = 0; k < SharedLatents; k++) v += movieShared[f][k] * shared[k][t];
                for (int k = 0; k < PrivateLatents; k++) v += movieOwn[f][k] * moviePrivate[k][t];
                movie[t][f] = (float)v;
            }
            brain[t] = new float[Voxels];
            for (int x = 0; x < Voxels; x++)
            {
                double v = 2.0 * Gaussian();   // voxels are noisy
                for (int k = 0; k < SharedLatents; k++) v += 0.5 * brainShared[x][k] * responses[k][t];
                for (int k = 0; k < PrivateLatents; k++) v += 0.5 * brainOwn[x][k] * brainPrivate[k][t];
                brain[t][x] = (float)v;
            }
        }
        return new Recording(movie, brain, responses);
    }
}
