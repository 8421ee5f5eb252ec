namespace MlNetExt.Embeddings.Evaluation;

/// <summary>ROC AUC and equal error rate of "same class" pairs against "different class" pairs by distance.</summary>
internal static class VerificationCurve
{
    /// <summary>Result of <see cref="Compute"/>.</summary>
    public readonly record struct Result(double Auc, double EqualErrorRate, double Threshold);

    /// <summary>
    /// AUC = P(d(positive) &lt; d(negative)) + 0.5 P(tie). The equal-error threshold t accepts pairs with d &lt;= t and
    /// is the pair distance where |false-accept rate - false-reject rate| is smallest; the rate is their mean there.
    /// </summary>
    public static Result Compute(double[] positiveDistances, double[] negativeDistances)
    {
        int p = positiveDistances.Length, n = negativeDistances.Length;
        if (p == 0 || n == 0)
            throw new InvalidOperationException("Verification metrics need at least one positive and one negative pair.");
        var distances = new double[p + n];
        var isPositive = new bool[p + n];
        positiveDistances.CopyTo(distances, 0);
        negativeDistances.CopyTo(distances, p);
        for (int i = 0; i < p; i++)
            isPositive[i] = true;
        Array.Sort(distances, isPositive);

        double aucSum = 0;
        long negativesBefore = 0, positivesBefore = 0;
        double bestGap = 1.0, eer = 0.5, threshold = distances[0];
        // Threshold below every pair: nothing accepted, FAR = 0, FRR = 1.
        for (int i = 0; i < distances.Length;)
        {
            int j = i;
            long groupPositives = 0, groupNegatives = 0;
            while (j < distances.Length && distances[j] == distances[i])
            {
                if (isPositive[j]) groupPositives++; else groupNegatives++;
                j++;
            }
            aucSum += groupPositives * (double)(n - negativesBefore - groupNegatives) + 0.5 * groupPositives * groupNegatives;
            negativesBefore += groupNegatives;
            positivesBefore += groupPositives;
            double falseAccept = (double)negativesBefore / n;
            double falseReject = (double)(p - positivesBefore) / p;
            double gap = Math.Abs(falseAccept - falseReject);
            if (gap < bestGap)
            {
                bestGap = gap;
                eer = 0.5 * (falseAccept + falseReject);
                threshold = distances[i];
            }
            i = j;
        }
        return new Result(aucSum / ((double)p * n), eer, threshold);
    }
}
