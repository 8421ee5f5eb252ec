namespace MlNetExt.ImageAugmentation.Data;

/// <summary>
/// Decides how many augmented copies follow each source row. A fresh counter is made per cursor, and rows
/// arrive in source order, so the decision is a deterministic function of the row's place in the data.
/// </summary>
internal abstract class CopyCounter
{
    /// <summary>Whether <see cref="CopiesFor"/> needs the row's label.</summary>
    public abstract bool NeedsLabel { get; }

    /// <summary>Copies for the next source row, given its label (null when not needed).</summary>
    public abstract int CopiesFor(string? label);
}

/// <summary>The same number of copies for every row.</summary>
internal sealed class FixedCopyCounter(int copies) : CopyCounter
{
    public override bool NeedsLabel => false;
    public override int CopiesFor(string? label) => copies;
}

/// <summary>
/// Rebalancing: a class with n rows and a target of T gets T - n copies in all (none if n &gt;= T), spread
/// evenly over its rows in order: every row gets floor((T - n) / n) copies and the first (T - n) mod n rows
/// one more.
/// </summary>
internal sealed class BalancingCopyCounter(IReadOnlyDictionary<string, long> classCounts, long target) : CopyCounter
{
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);

    public override bool NeedsLabel => true;

    public override int CopiesFor(string? label)
    {
        label ??= "";
        if (!classCounts.TryGetValue(label, out long n) || n == 0 || n >= target) return 0;
        _seen.TryGetValue(label, out long index);
        _seen[label] = index + 1;
        long extra = target - n;
        return (int)(extra / n + (index < extra % n ? 1 : 0));
    }

    /// <summary>Rows after rebalancing.</summary>
    public static long TotalRows(IReadOnlyDictionary<string, long> classCounts, long target) =>
        classCounts.Values.Sum(n => Math.Max(n, target));
}
