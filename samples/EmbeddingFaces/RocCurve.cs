namespace EmbeddingFaces;

/// <summary>Verification ROC curve of "same label" by Euclidean distance: all positive pairs, a seeded sample of negative pairs.</summary>
public sealed record RocCurve(double[] FalseAcceptRate, double[] TrueAcceptRate)
{
    public static RocCurve FromEmbeddings(float[][] embeddings, string[] labels, int negativePairs = 100_000, int seed = 1)
    {
        var positives = new List<double>();
        for (int i = 0; i < embeddings.Length; i++)
            for (int j = i + 1; j < embeddings.Length; j++)
                if (labels[i] == labels[j]) positives.Add(Distance(embeddings[i], embeddings[j]));
        var random = new Random(seed);
        var negatives = new List<double>(negativePairs);
        while (negatives.Count < negativePairs)
        {
            int i = random.Next(embeddings.Length), j = random.Next(embeddings.Length);
            if (labels[i] != labels[j]) negatives.Add(Distance(embeddings[i], embeddings[j]));
        }
        positives.Sort();
        negatives.Sort();
        // Accept pairs at or below a threshold; sweep 400 thresholds over the pooled distance quantiles.
        var all = positives.Concat(negatives).OrderBy(d => d).ToArray();
        var far = new List<double> { 0 };
        var tar = new List<double> { 0 };
        for (int q = 1; q <= 400; q++)
        {
            double threshold = all[Math.Min(all.Length - 1, (int)((long)q * all.Length / 400) - 1)];
            far.Add(CountAtOrBelow(negatives, threshold) / (double)negatives.Count);
            tar.Add(CountAtOrBelow(positives, threshold) / (double)positives.Count);
        }
        return new RocCurve(far.ToArray(), tar.ToArray());
    }

    private static int CountAtOrBelow(List<double> sorted, double value)
    {
        int index = sorted.BinarySearch(value);
        if (index < 0) return ~index;
        while (index + 1 < sorted.Count && sorted[index + 1] <= value) index++;
        return index + 1;
    }

    private static double Distance(float[] a, float[] b)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++)
        {
            double d = a[k] - b[k];
            s += d * d;
        }
        return Math.Sqrt(s);
    }
}
