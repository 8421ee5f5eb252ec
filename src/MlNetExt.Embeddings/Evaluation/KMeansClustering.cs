using MlNetExt.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Evaluation;

/// <summary>Seeded k-means (k-means++ initialisation, Lloyd iterations until fewer than 0.1% of rows move) used to score how well embeddings cluster.</summary>
internal static class KMeansClustering
{
    /// <summary>Clusters row-major [rows, width] data into <paramref name="k"/> clusters; returns the cluster of each row.</summary>
    public static int[] Cluster(float[] data, int rows, int width, int k, int seed, int maxIterations)
    {
        using var outer = NewDisposeScope();
        // Float32: the assignment only ranks distances, and half the bytes double the speed of the distance products.
        var x = tensor(data, new long[] { rows, width });
        var squaredNorms = x.Squared().sum(1);
        var random = new Random(seed);

        // k-means++: each next centre is drawn with probability proportional to the squared distance to the nearest centre.
        var centreRows = new List<long> { random.Next(rows) };
        double[] nearest = SquaredDistanceTo(x, squaredNorms, centreRows[0]);
        for (int c = 1; c < k; c++)
        {
            double total = 0;
            foreach (var w in nearest) total += Math.Max(w, 0);
            long chosen;
            if (total <= 0)
                chosen = random.Next(rows);
            else
            {
                double target = random.NextDouble() * total, cumulative = 0;
                chosen = rows - 1;
                for (int i = 0; i < rows; i++)
                {
                    cumulative += Math.Max(nearest[i], 0);
                    if (cumulative >= target) { chosen = i; break; }
                }
            }
            centreRows.Add(chosen);
            var next = SquaredDistanceTo(x, squaredNorms, chosen);
            for (int i = 0; i < rows; i++)
                nearest[i] = Math.Min(nearest[i], next[i]);
        }
        var centres = x.index_select(0, tensor(centreRows.ToArray()));

        var assignment = zeros(rows, dtype: ScalarType.Int64);
        using var one = 1f.ToScalar();
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            using var scope = NewDisposeScope();
            var newAssignment = NearestCentres(x, centres);
            // Converged when fewer than 0.1% of the rows change cluster (exact convergence can take very long on noise).
            long moved = iteration == 0 ? rows : newAssignment.ne(assignment).sum().item<long>();
            bool changed = moved > rows / 1000;
            var sums = zeros(new long[] { k, width }, dtype: ScalarType.Float32).index_add_(0, newAssignment, x, one);
            var counts = zeros(k, dtype: ScalarType.Float32).index_add_(0, newAssignment, ones(rows, dtype: ScalarType.Float32), one);
            var nonEmpty = counts.GreaterThan(0).unsqueeze(1);
            var updated = where(nonEmpty, sums.div(counts.clamp_min(one).unsqueeze(1)), centres);
            // Replace (and free) the previous centres and assignment: k x width doubles per iteration add up at identity scale.
            centres.Dispose();
            assignment.Dispose();
            centres = updated.MoveToOuterDisposeScope();
            assignment = newAssignment.MoveToOuterDisposeScope();
            if (!changed)
                break;
        }
        return assignment.data<long>().ToArray().Select(a => (int)a).ToArray();
    }

    /// <summary>Index of each row's nearest centre, in blocks of rows so that no more than about
    /// <see cref="BlockValues"/> distances exist at once (identity-scale k stays in memory).</summary>
    private static Tensor NearestCentres(Tensor x, Tensor centres)
    {
        long rows = x.shape[0], k = centres.shape[0];
        long block = Math.Max(1, BlockValues / k);
        var centreNorms = centres.Squared().sum(1).unsqueeze(0);
        var centresT = centres.t();
        using var minusTwo = (-2f).ToScalar();
        var parts = new List<Tensor>();
        for (long start = 0; start < rows; start += block)
        {
            using var scope = NewDisposeScope();
            var rowsInBlock = x.narrow(0, start, Math.Min(block, rows - start));
            // ||c||^2 - 2 x.c ranks the centres like the squared distance (||x||^2 is the same for every centre).
            parts.Add(rowsInBlock.mm(centresT).mul_(minusTwo).PlusInPlace(centreNorms).argmin(1).MoveToOuterDisposeScope());
        }
        return parts.Count == 1 ? parts[0] : cat(parts, 0);
    }

    /// <summary>Distances computed at once by <see cref="NearestCentres"/> (4 M floats, 16 MB).</summary>
    private const long BlockValues = 1L << 22;

    private static double[] SquaredDistanceTo(Tensor x, Tensor squaredNorms, long row)
    {
        using var scope = NewDisposeScope();
        using var two = 2f.ToScalar();
        using var zero = 0f.ToScalar();
        var centre = x[row];
        return squaredNorms.Plus(centre.Squared().sum()).sub_(x.mv(centre).mul_(two)).clamp_min_(zero).to_type(ScalarType.Float64)
            .data<double>().ToArray();
    }

    /// <summary>Normalised mutual information, 2 I(Y; C) / (H(Y) + H(C)); 1 when both labelings are constant. The joint
    /// counts are kept sparse (at most one entry per row), so thousands of identities and clusters cost no k x k table.</summary>
    public static double NormalisedMutualInformation(int[] labels, int labelCount, int[] clusters, int clusterCount)
    {
        int n = labels.Length;
        var joint = new Dictionary<long, long>();
        var labelTotals = new long[labelCount];
        var clusterTotals = new long[clusterCount];
        for (int i = 0; i < n; i++)
        {
            long cell = (long)labels[i] * clusterCount + clusters[i];
            joint[cell] = joint.GetValueOrDefault(cell) + 1;
            labelTotals[labels[i]]++;
            clusterTotals[clusters[i]]++;
        }
        double hLabels = Entropy(labelTotals, n), hClusters = Entropy(clusterTotals, n), mutual = 0;
        foreach (var (cell, count) in joint)
        {
            long a = cell / clusterCount, b = cell % clusterCount;
            double pab = (double)count / n;
            mutual += pab * Math.Log(pab * n * n / ((double)labelTotals[a] * clusterTotals[b]));
        }
        double denominator = hLabels + hClusters;
        return denominator <= 0 ? 1.0 : Math.Clamp(2 * mutual / denominator, 0, 1);
    }

    private static double Entropy(long[] totals, int n)
    {
        double h = 0;
        foreach (var t in totals)
        {
            if (t == 0) continue;
            double p = (double)t / n;
            h -= p * Math.Log(p);
        }
        return h;
    }
}
