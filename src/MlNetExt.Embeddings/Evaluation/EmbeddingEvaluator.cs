namespace MlNetExt.Embeddings.Evaluation;

/// <summary>Computes <see cref="EmbeddingMetrics"/> from embeddings held in memory.</summary>
internal static class EmbeddingEvaluator
{
    /// <summary>Evaluates row-major [rows, width] embeddings against 0-based class indices.</summary>
    public static EmbeddingMetrics Evaluate(float[] embeddings, int rows, int width, int[] labels, int classCount,
        EmbeddingEvaluationOptions options, string embeddingColumnName = "embedding", string labelColumnName = "label")
    {
        if (classCount < 2)
            throw new ArgumentException($"Label column '{labelColumnName}' has {classCount} class(es); embedding evaluation needs at least 2.");
        var members = new List<int>[classCount];
        for (int c = 0; c < classCount; c++) members[c] = new List<int>();
        for (int i = 0; i < rows; i++) members[labels[i]].Add(i);
        for (int c = 0; c < classCount; c++)
        {
            if (members[c].Count < 2)
                throw new ArgumentException(
                    $"Label column '{labelColumnName}': the class first seen at row {members[c][0]} has a single example; " +
                    "every class needs at least 2 for leave-one-out retrieval.");
        }
        var classSizes = members.Select(m => m.Count).ToArray();

        bool normalised = options.Distance == EmbeddingDistance.Cosine;
        var x = embeddings;
        if (normalised)
        {
            x = (float[])embeddings.Clone();
            for (int i = 0; i < rows; i++)
            {
                var row = x.AsSpan(i * width, width);
                float norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
                if (norm <= 0)
                    throw new ArgumentException($"Embedding column '{embeddingColumnName}', row {i}: the embedding is all zeros, so its cosine distance is undefined.");
                System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
            }
        }

        var retrieval = NeighbourRetrieval.Compute(x, rows, width, labels, classSizes, normalised, Math.Max(1, options.BlockSize));

        var random = new Random(options.Seed);
        var memberArrays = members.Select(m => m.ToArray()).ToArray();
        var positivePairs = VerificationPairs.Positive(memberArrays, options.MaxPositivePairCount, random);
        var negativePairs = VerificationPairs.Negative(labels, memberArrays, options.NegativePairCount, random);
        var positiveDistances = VerificationPairs.Distances(x, width, positivePairs, normalised);
        var negativeDistances = VerificationPairs.Distances(x, width, negativePairs, normalised);
        if (options.Distance == EmbeddingDistance.SquaredEuclidean)
        {
            // The same ranking as Euclidean (so the same AUC and EER); the threshold is on the squared scale.
            SquareInPlace(positiveDistances);
            SquareInPlace(negativeDistances);
        }
        var verification = VerificationCurve.Compute(positiveDistances, negativeDistances);

        double nmi = double.NaN;
        if (options.ComputeClusteringNmi)
        {
            var clusters = KMeansClustering.Cluster(x, rows, width, classCount, options.Seed, options.KMeansMaxIterations);
            nmi = KMeansClustering.NormalisedMutualInformation(labels, classCount, clusters, classCount);
        }

        return new EmbeddingMetrics
        {
            RecallAt1 = retrieval.RecallAt1,
            RecallAt5 = retrieval.RecallAt5,
            MeanAveragePrecisionAtR = retrieval.MeanAveragePrecisionAtR,
            AreaUnderRocCurve = verification.Auc,
            EqualErrorRate = verification.EqualErrorRate,
            EqualErrorRateThreshold = verification.Threshold,
            ClusteringNmi = nmi,
            RowCount = rows,
            ClassCount = classCount,
            PositivePairCount = positivePairs.Count,
            NegativePairCount = negativePairs.Count,
        };
    }

    private static void SquareInPlace(double[] distances)
    {
        for (int i = 0; i < distances.Length; i++)
            distances[i] *= distances[i];
    }
}
