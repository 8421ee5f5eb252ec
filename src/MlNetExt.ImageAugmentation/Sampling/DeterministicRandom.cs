namespace MlNetExt.ImageAugmentation.Sampling;

/// <summary>
/// A small, fast, platform-independent pseudo-random generator (SplitMix64). Augmentation depends only on
/// this generator, so the same seed gives the same images on every machine and .NET version.
/// </summary>
internal struct DeterministicRandom
{
    private ulong _state;

    public DeterministicRandom(ulong seed) => _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max] (returns min when min == max).</summary>
    public double Uniform(double min, double max) => min == max ? min : min + (max - min) * NextDouble();

    /// <summary>Log-uniform in [min, max] (for aspect ratios).</summary>
    public double LogUniform(double min, double max) => min == max ? min : Math.Exp(Uniform(Math.Log(min), Math.Log(max)));

    /// <summary>The size of a random rectangle in a <paramref name="width"/> x <paramref name="height"/> image (random
    /// erasing, random resized crop): its area is a fraction of the image's uniform in [minArea, maxArea], its
    /// width/height ratio log-uniform in [minRatio, maxRatio]; not yet clamped to the image.</summary>
    public (double Width, double Height) RectangleSize(double width, double height, double minArea, double maxArea, double minRatio, double maxRatio)
    {
        double area = Uniform(minArea, maxArea) * width * height;
        double ratio = LogUniform(minRatio, maxRatio);
        return (Math.Sqrt(area * ratio), Math.Sqrt(area / ratio));
    }

    /// <summary>Uniform integer in [0, exclusiveMax).</summary>
    public int NextInt(int exclusiveMax) => exclusiveMax <= 1 ? 0 : (int)((NextUInt64() >> 33) % (ulong)exclusiveMax);

    /// <summary>+1 or -1 with equal probability.</summary>
    public int NextSign() => (NextUInt64() >> 63) == 0 ? 1 : -1;

    /// <summary>Standard normal (Box-Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Mixes several values into one well-spread seed.</summary>
    public static ulong Mix(ulong a, ulong b, ulong c = 0, ulong d = 0)
    {
        var r = new DeterministicRandom(a);
        ulong h = r.NextUInt64();
        r = new DeterministicRandom(h ^ (b * 0xD1B54A32D192ED03UL));
        h = r.NextUInt64();
        r = new DeterministicRandom(h ^ (c * 0x8CB92BA72F3D8DD7UL));
        h = r.NextUInt64();
        r = new DeterministicRandom(h ^ (d * 0xABC98388FB8FAC03UL));
        return r.NextUInt64();
    }
}
