namespace MlNetExt.ImageAugmentation.Operations;

/// <summary>Argument checks shared by the operations; every failure names the offending option.</summary>
internal static class Validate
{
    public static void Probability(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(name, p, $"{name} must be in [0, 1]; got {p}.");
    }

    /// <summary>lo &lt;= min &lt;= max &lt;= hi (bounds optionally exclusive).</summary>
    public static void Range(double min, double max, string minName, string maxName, double lo, double hi,
        bool loExclusive = false, bool hiExclusive = false)
    {
        string interval = $"{(loExclusive ? "(" : "[")}{lo}, {hi}{(hiExclusive ? ")" : "]")}";
        if (!InBounds(min, lo, hi, loExclusive, hiExclusive))
            throw new ArgumentOutOfRangeException(minName, min, $"{minName} must be in {interval}; got {min}.");
        if (!InBounds(max, lo, hi, loExclusive, hiExclusive))
            throw new ArgumentOutOfRangeException(maxName, max, $"{maxName} must be in {interval}; got {max}.");
        if (min > max)
            throw new ArgumentOutOfRangeException(minName, min, $"{minName} ({min}) must not exceed {maxName} ({max}).");
    }

    private static bool InBounds(double v, double lo, double hi, bool loExclusive, bool hiExclusive) =>
        !double.IsNaN(v) && (loExclusive ? v > lo : v >= lo) && (hiExclusive ? v < hi : v <= hi);
}
