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
        var x = tensor(data, new long[] { rows, width }).to(ScalarType.Float64);
        var squaredNorms = x.Squared().sum(1);
        var random = new Random(seed);

        // k-means++: each next centre is drawn with probability proportional to the squared distance to the nearest centre.
        var centreRows = new List<long> { random.Next(rows) };
        var nearest = SquaredDistanceTo(x, squaredNorms, centreRows[0]);
        for (int c = 1; c < k; c++)
        {
            double[] weights = nearest.data<double>().ToArray();
            double total = 0;
            foreach (var w in weights) total += Math.Max(w, 0);
            long chosen;
            if (total <= 0)
                chosen = random.Next(rows);
            else
            {
                double target = random.NextDouble() * total, cumulative = 0;
                chosen = rows - 1;
                for (int i = 0; i < rows; i++)
                {
                    cumulative += Math.Max(weights[i], 0);
                    if (cumulative >= target) { chosen = i; break; }
                }
            }
            centreRows.Add(chosen);
            var next = SquaredDistanceTo(x, squaredNorms, chosen);
            nearest = minimum(nearest, next);
        }
        var centres = x.index_select(0, tensor(centreRows.ToArray()));

        Tensor assignment = zeros(rows, dtype: ScalarType.Int64);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            using var scope = NewDisposeScope();
            var distances = centres.Squared().sum(1).unsqueeze(0).Plus(squaredNorms.unsqueeze(1)).sub_(x.mm(centres.t()).TimesInPlace(2));
            var newAssignment = distances.argmin(1);
            // Converged when fewer than 0.1% of the rows change cluster (exact convergence can take very long on noise).
            long moved = iteration == 0 ? rows : newAssignment.ne(assignment).sum().item<long>();
            bool changed = moved > rows / 1000;
            using var one = 1.ToScalar();
            var sums = zeros(new long[] { k, width }, dtype: ScalarType.Float64).index_add_(0, newAssignment, x, one);
            var counts = zeros(k, dtype: ScalarType.Float64).index_add_(0, newAssignment, ones(rows, dtype: ScalarType.Float64), one);
            var nonEmpty = counts.GreaterThan(0).unsqueeze(1);
            var updated = where(nonEmpty, sums.div(counts.AtLeast(1).unsqueeze(1)), centres);
            centres = updated.MoveToOuterDisposeScope();
            assignment = newAssignment.MoveToOuterDisposeScope();
            if (!changed)
                break;
        }
        return assignment.data<long>().ToArray().Select(a => (int)a).ToArray();
    }

    private static Tensor SquaredDistanceTo(Tensor x, Tensor squaredNorms, long row)
    {
        var centre = x[row];
        return squaredNorms.Plus(centre.Squared().sum()).sub_(x.mv(centre).TimesInPlace(2)).AtLeastInPlace(0);
    }

    /// <summary>Normalised mutual information, 2 I(Y; C) / (H(Y) + H(C)); 1 when both labelings are constant.</summary>
    public static double NormalisedMutualInformation(int[] labels, int labelCount, int[] clusters, int clusterCount)
    {
        int n = labels.Length;
        var joint = new long[labelCount, clusterCount];
        var labelTotals = new long[labelCount];
        var clusterTotals = new long[clusterCount];
        for (int i = 0; i < n; i++)
        {
            joint[labels[i], clusters[i]]++;
            labelTotals[labels[i]]++;
            clusterTotals[clusters[i]]++;
        }
        double hLabels = Entropy(labelTotals, n), hClusters = Entropy(clusterTotals, n), mutual = 0;
        for (int a = 0; a < labelCount; a++)
        {
            for (int b = 0; b < clusterCount; b++)
            {
                if (joint[a, b] == 0) continue;
                double pab = (double)joint[a, b] / n;
                mutual += pab * Math.Log(pab * n * n / ((double)labelTotals[a] * clusterTotals[b]));
            }
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
