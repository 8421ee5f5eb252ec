using MlNetExt.Core.Training;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// Builds "P identities x K examples" batches for triplet mining (an <see cref="IBatchSampler"/> of Core's training loop):
/// each batch holds P distinct classes with K rows each. The classes of an epoch come from a random permutation of all
/// classes, cut into groups of P (then from a fresh permutation when the epoch has more batches than one permutation
/// fills), so an epoch sees every class. A class's rows are drawn without replacement while it has K left in the epoch,
/// and repeated when it has fewer than K rows (with augmentation, repeats are different views).
/// </summary>
public sealed class ClassBalancedBatchSampler : IBatchSampler
{
    private readonly int[][] _members;
    private readonly int _rows;

    /// <summary>Creates the sampler from 0-based class indices of every row.</summary>
    /// <param name="classIndices">Class of each row.</param>
    /// <param name="classesPerBatch">P, distinct classes per batch (at least 2).</param>
    /// <param name="examplesPerClass">K, rows per class (at least 2).</param>
    /// <param name="labelColumnName">Named in error messages.</param>
    /// <param name="allowSingleExampleClasses">Accept classes with a single row (their K examples repeat it: right only when
    /// every example becomes a different random view, i.e. with augmentation).</param>
    public ClassBalancedBatchSampler(IReadOnlyList<int> classIndices, int classesPerBatch, int examplesPerClass, string labelColumnName = "Label",
        bool allowSingleExampleClasses = false)
    {
        ArgumentNullException.ThrowIfNull(classIndices);
        ArgumentOutOfRangeException.ThrowIfLessThan(classesPerBatch, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(examplesPerClass, 2);
        ClassesPerBatch = classesPerBatch;
        ExamplesPerClass = examplesPerClass;
        var groups = classIndices.Select((c, row) => (c, row)).GroupBy(x => x.c).OrderBy(g => g.Key).ToArray();
        if (!allowSingleExampleClasses)
        {
            foreach (var g in groups)
            {
                if (g.Count() < 2)
                    throw new ArgumentException(
                        $"Label column '{labelColumnName}': class {g.Key} (row {g.First().row}) has a single example; triplets need at least 2 per class " +
                        "(or an Augmentation, which makes K different views of one row).", nameof(classIndices));
            }
        }
        if (groups.Length < classesPerBatch)
            throw new ArgumentException(
                $"Label column '{labelColumnName}' has {groups.Length} classes; a batch needs {classesPerBatch} distinct classes.", nameof(classIndices));
        _members = groups.Select(g => g.Select(x => x.row).ToArray()).ToArray();
        _rows = classIndices.Count;
    }

    /// <summary>P, distinct classes per batch.</summary>
    public int ClassesPerBatch { get; }

    /// <summary>K, rows per class in a batch.</summary>
    public int ExamplesPerClass { get; }

    /// <summary>Batches per epoch: enough for every class to appear once (classes / P) and for as many rows as the data
    /// hold (rows / (P K)), whichever is more.</summary>
    public long BatchCount => Math.Max(1, Math.Max(_members.Length / ClassesPerBatch, _rows / (ClassesPerBatch * ExamplesPerClass)));

    /// <summary>One epoch of batches (row indices, P*K each, class by class); reproducible for a seed.</summary>
    public IEnumerable<long[]> Epoch(int seed)
    {
        var random = new Random(seed);
        var pools = new Queue<int>?[_members.Length];
        var order = Permutation(random, _members.Length);
        int next = 0;
        var chosen = new HashSet<int>();
        for (long b = 0; b < BatchCount; b++)
        {
            var batch = new long[ClassesPerBatch * ExamplesPerClass];
            int i = 0;
            chosen.Clear();
            while (chosen.Count < ClassesPerBatch)
            {
                if (next == order.Length)
                {
                    // A fresh permutation; classes already in this batch go last so the batch stays distinct.
                    order = Permutation(random, _members.Length).OrderBy(c => chosen.Contains(c) ? 1 : 0).ToArray();
                    next = 0;
                }
                int c = order[next++];
                chosen.Add(c);
                var members = _members[c];
                if (pools[c] is not { } pool || pool.Count < ExamplesPerClass)
                    pools[c] = pool = new Queue<int>(Permutation(random, members.Length).Select(j => members[j]));
                for (int k = 0; k < ExamplesPerClass; k++)
                    batch[i++] = pool.Count > 0 ? pool.Dequeue() : members[random.Next(members.Length)];
            }
            yield return batch;
        }
    }

    private static int[] Permutation(Random random, int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
            order[i] = i;
        random.Shuffle(order);
        return order;
    }
}
