namespace MlNetExt.Vision.Classification;

/// <summary>
/// Draws, for each epoch, a class-balanced multiset of row indices as large as the training set: the rows are split as
/// evenly as possible over the classes present (the remainder goes to randomly chosen classes); a class with fewer rows
/// than its share repeats every row equally often and fills the rest without repetition; a class with more rows takes a
/// random subset. Deterministic for a seed and an epoch.
/// </summary>
internal sealed class BalancedEpochSampler
{
    private readonly int[][] _rowsByClass;
    private readonly int _seed;
    private int _drawnEpoch = int.MinValue;
    private int[] _drawn = [];

    /// <param name="classes">Class index (0-based) of every training row.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="seed">Seed of the draws.</param>
    public BalancedEpochSampler(IReadOnlyList<long> classes, int classCount, int seed)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var rows = Enumerable.Range(0, classCount).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < classes.Count; i++)
        {
            long c = classes[i];
            if (c < 0 || c >= classCount)
                throw new ArgumentOutOfRangeException(nameof(classes), $"Row {i} has class index {c}, outside 0..{classCount - 1}.");
            rows[c].Add(i);
        }
        _rowsByClass = rows.Where(r => r.Count > 0).Select(r => r.ToArray()).ToArray();
        if (_rowsByClass.Length == 0)
            throw new ArgumentException("There are no rows to sample.", nameof(classes));
        RowCount = classes.Count;
        _seed = seed;
    }

    /// <summary>Rows per epoch (the training set's size).</summary>
    public int RowCount { get; }

    /// <summary>The row indices of <paramref name="epoch"/>, in class order (the training loop shuffles them).</summary>
    public IReadOnlyList<int> Draw(int epoch)
    {
        if (epoch == _drawnEpoch)
            return _drawn;
        var random = new Random(unchecked(_seed * 1_000_003 + epoch * 7919 + 17));
        int present = _rowsByClass.Length;
        var shares = Enumerable.Repeat(RowCount / present, present).ToArray();
        foreach (int c in Shuffled(present, random).Take(RowCount % present))
            shares[c]++;

        var drawn = new int[RowCount];
        int next = 0;
        for (int c = 0; c < present; c++)
        {
            var rows = _rowsByClass[c];
            int share = shares[c];
            for (int repeat = 0; repeat < share / rows.Length; repeat++)
            {
                rows.CopyTo(drawn, next);
                next += rows.Length;
            }
            foreach (int i in Shuffled(rows.Length, random).Take(share % rows.Length))
                drawn[next++] = rows[i];
        }
        _drawn = drawn;
        _drawnEpoch = epoch;
        return drawn;
    }

    private static int[] Shuffled(int count, Random random)
    {
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        return order;
    }
}
