namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// Builds "P identities x K examples" batches for triplet mining: each batch holds P distinct classes with K rows each
/// (drawn without replacement within a class while it has enough rows left in the epoch, otherwise with replacement).
/// </summary>
public sealed class ClassBalancedBatchSampler
{
    private readonly int[][] _members;

    /// <summary>Creates the sampler from 0-based class indices of every row.</summary>
    /// <param name="classIndices">Class of each row.</param>
    /// <param name="classesPerBatch">P, distinct classes per batch (at least 2).</param>
    /// <param name="examplesPerClass">K, rows per class (at least 2).</param>
    /// <param name="labelColumnName">Named in error messages.</param>
    public ClassBalancedBatchSampler(IReadOnlyList<int> classIndices, int classesPerBatch, int examplesPerClass, string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(classIndices);
        ArgumentOutOfRangeException.ThrowIfLessThan(classesPerBatch, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(examplesPerClass, 2);
        ClassesPerBatch = classesPerBatch;
        ExamplesPerClass = examplesPerClass;
        var groups = classIndices.Select((c, row) => (c, row)).GroupBy(x => x.c).OrderBy(g => g.Key).ToArray();
        foreach (var g in groups)
        {
            if (g.Count() < 2)
                throw new ArgumentException(
                    $"Label column '{labelColumnName}': class {g.Key} (row {g.First().row}) has a single example; triplets need at least 2 per class.",
                    nameof(classIndices));
        }
        if (groups.Length < classesPerBatch)
            throw new ArgumentException(
                $"Label column '{labelColumnName}' has {groups.Length} classes; a batch needs {classesPerBatch} distinct classes.", nameof(classIndices));
        _members = groups.Select(g => g.Select(x => x.row).ToArray()).ToArray();
    }

    /// <summary>P, distinct classes per batch.</summary>
    public int ClassesPerBatch { get; }

    /// <summary>K, rows per class in a batch.</summary>
    public int ExamplesPerClass { get; }

    /// <summary>One epoch of batches (row indices, P*K each); about rows / (P*K) batches; reproducible for a seed.</summary>
    public IEnumerable<int[]> Epoch(int seed)
    {
        var random = new Random(seed);
        int rows = _members.Sum(m => m.Length);
        int batches = Math.Max(1, rows / (ClassesPerBatch * ExamplesPerClass));
        var pools = _members.Select(m => new Queue<int>(m.OrderBy(_ => random.Next()))).ToArray();
        for (int b = 0; b < batches; b++)
        {
            var classes = Enumerable.Range(0, _members.Length).OrderBy(_ => random.Next()).Take(ClassesPerBatch).ToArray();
            var batch = new int[ClassesPerBatch * ExamplesPerClass];
            int i = 0;
            foreach (var c in classes)
            {
                if (pools[c].Count < ExamplesPerClass)
                    pools[c] = new Queue<int>(_members[c].OrderBy(_ => random.Next()));
                for (int k = 0; k < ExamplesPerClass; k++)
                    batch[i++] = pools[c].Count > 0 ? pools[c].Dequeue() : _members[c][random.Next(_members[c].Length)];
            }
            yield return batch;
        }
    }
}
