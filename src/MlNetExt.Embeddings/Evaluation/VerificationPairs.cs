namespace MlNetExt.Embeddings.Evaluation;

/// <summary>Draws the positive (same-class) and negative (different-class) pairs the verification metrics are computed on.</summary>
internal static class VerificationPairs
{
    /// <summary>All positive pairs i &lt; j when there are at most <paramref name="maxCount"/>, else a seeded uniform sample of that many.</summary>
    public static List<(int A, int B)> Positive(int[][] members, int maxCount, Random random)
    {
        long total = 0;
        foreach (var m in members) total += (long)m.Length * (m.Length - 1) / 2;
        var pairs = new List<(int, int)>((int)Math.Min(total, maxCount));
        if (total <= maxCount)
        {
            foreach (var m in members)
                for (int i = 0; i < m.Length; i++)
                    for (int j = i + 1; j < m.Length; j++)
                        pairs.Add((m[i], m[j]));
            return pairs;
        }
        // Class chosen with probability proportional to its pair count, then two distinct members: uniform over pairs.
        var cumulative = new double[members.Length];
        double running = 0;
        for (int c = 0; c < members.Length; c++)
        {
            running += (double)members[c].Length * (members[c].Length - 1) / 2;
            cumulative[c] = running;
        }
        for (int s = 0; s < maxCount; s++)
        {
            int c = Array.BinarySearch(cumulative, random.NextDouble() * running);
            if (c < 0) c = ~c;
            c = Math.Min(c, members.Length - 1);
            var m = members[c];
            int i = random.Next(m.Length), j = random.Next(m.Length - 1);
            if (j >= i) j++;
            pairs.Add((m[i], m[j]));
        }
        return pairs;
    }

    /// <summary>A seeded sample of <paramref name="count"/> negative pairs (all of them when there are fewer).</summary>
    public static List<(int A, int B)> Negative(int[] labels, int[][] members, int count, Random random)
    {
        int rows = labels.Length;
        long positives = 0;
        foreach (var m in members) positives += (long)m.Length * (m.Length - 1) / 2;
        long total = (long)rows * (rows - 1) / 2 - positives;
        var pairs = new List<(int, int)>((int)Math.Min(total, count));
        if (total <= count)
        {
            for (int i = 0; i < rows; i++)
                for (int j = i + 1; j < rows; j++)
                    if (labels[i] != labels[j])
                        pairs.Add((i, j));
            return pairs;
        }
        while (pairs.Count < count)
        {
            int i = random.Next(rows), j = random.Next(rows);
            if (labels[i] != labels[j])
                pairs.Add((i, j));
        }
        return pairs;
    }

    /// <summary>Distance of each pair in row-major [rows, width] embeddings (Euclidean, or 1 - dot for normalised rows).</summary>
    public static double[] Distances(float[] embeddings, int width, List<(int A, int B)> pairs, bool normalised)
    {
        var result = new double[pairs.Count];
        var span = embeddings.AsSpan();
        for (int p = 0; p < pairs.Count; p++)
        {
            var a = span.Slice(pairs[p].A * width, width);
            var b = span.Slice(pairs[p].B * width, width);
            result[p] = normalised
                ? 1.0 - System.Numerics.Tensors.TensorPrimitives.Dot(a, b)
                : System.Numerics.Tensors.TensorPrimitives.Distance(a, b);
        }
        return result;
    }
}
