using MlNetExt.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Evaluation;

/// <summary>
/// Leave-one-out nearest-neighbour retrieval metrics (recall@1, recall@5, MAP@R), computed in blocks of queries
/// against all rows with one matrix product per block and a partial top-K selection (no full sort per query).
/// </summary>
internal static class NeighbourRetrieval
{
    /// <summary>Result of <see cref="Compute"/>.</summary>
    public readonly record struct Result(double RecallAt1, double RecallAt5, double MeanAveragePrecisionAtR);

    /// <summary>
    /// Computes the retrieval metrics. <paramref name="embeddings"/> is row-major [rows, width]; for cosine distance it
    /// must already be L2-normalised (ranking by 1 - dot), for Euclidean the squared distance is ranked.
    /// </summary>
    public static Result Compute(float[] embeddings, int rows, int width, int[] labels, int[] classSizes, bool normalised, int blockSize)
    {
        int maxR = classSizes.Max() - 1;
        int k = Math.Min(rows - 1, Math.Max(maxR, 5));
        double recall1 = 0, recall5 = 0, mapR = 0;

        using var outer = NewDisposeScope();
        var all = tensor(embeddings, new long[] { rows, width });
        var squaredNorms = normalised ? null : all.Squared().sum(1);
        var allT = all.t().contiguous();

        for (int start = 0; start < rows; start += blockSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(blockSize, rows - start);
            var queries = all.narrow(0, start, count);
            var dot = queries.mm(allT);
            var distance = normalised
                ? dot.neg().PlusInPlace(1)
                : dot.TimesInPlace(-2).PlusInPlace(squaredNorms!.narrow(0, start, count).unsqueeze(1)).PlusInPlace(squaredNorms!.unsqueeze(0));
            var self = tensor(Enumerable.Range(start, count).Select(i => (long)i).ToArray()).unsqueeze(1);
            distance.scatter_(1, self, empty(new long[] { count, 1 }).FillInPlace(double.PositiveInfinity));
            // Unsorted selection (linear time) of the k nearest, then a sort of those k only.
            var (values, unsortedIndices) = distance.topk(k, dim: 1, largest: false, sorted: false);
            var (_, order) = values.sort(dim: 1);
            var indices = unsortedIndices.gather(1, order);
            long[] neighbours = indices.contiguous().data<long>().ToArray();

            for (int q = 0; q < count; q++)
            {
                int label = labels[start + q];
                int offset = q * k;
                if (labels[neighbours[offset]] == label)
                    recall1++;
                for (int i = 0; i < Math.Min(5, k); i++)
                {
                    if (labels[neighbours[offset + i]] == label)
                    {
                        recall5++;
                        break;
                    }
                }
                int r = classSizes[label] - 1;
                int hits = 0;
                double precisionSum = 0;
                for (int i = 0; i < r; i++)
                {
                    if (labels[neighbours[offset + i]] == label)
                    {
                        hits++;
                        precisionSum += (double)hits / (i + 1);
                    }
                }
                mapR += precisionSum / r;
            }
        }
        return new Result(recall1 / rows, recall5 / rows, mapR / rows);
    }
}
