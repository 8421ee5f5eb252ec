using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;

namespace MlNetExt.Regression.Evaluation;

/// <summary>Computes <see cref="CountMetrics"/> in one pass over scored data.</summary>
internal static class CountEvaluator
{
    private sealed class Accumulator
    {
        public double SumK, SumKLogK, SumLogFactorial, LogLikelihood, Deviance, SumMu, NbLogLikelihood;
    }

    public static CountMetrics Evaluate(IDataView data, string labelColumnName, string scoreColumnName,
        IReadOnlyList<double>? referenceMeanCounts, IReadOnlyList<double>? dispersion)
    {
        ArgumentNullException.ThrowIfNull(data);
        var label = NumericColumn.Find(data.Schema, labelColumnName, role: "Label", parameterName: nameof(labelColumnName));
        var score = NumericColumn.Find(data.Schema, scoreColumnName, role: "Score", parameterName: nameof(scoreColumnName));
        int width = label.Width;
        if (score.Width != width)
            throw new ArgumentException($"Score column '{score.Name}' has {score.Width} values per row but label column '{label.Name}' has {width}.", nameof(scoreColumnName));
        double[]? reference = Broadcast(referenceMeanCounts, width, nameof(referenceMeanCounts), "reference mean count");
        double[]? alpha = Broadcast(dispersion, width, nameof(dispersion), "dispersion");
        if (reference != null && reference.Any(r => !(r > 0) || double.IsInfinity(r)))
            throw new ArgumentOutOfRangeException(nameof(referenceMeanCounts), "Reference mean counts must be positive and finite.");
        if (alpha != null && alpha.Any(a => !(a >= 0) || double.IsInfinity(a)))
            throw new ArgumentOutOfRangeException(nameof(dispersion), "Dispersions must be finite and 0 or more.");

        var acc = Enumerable.Range(0, width).Select(_ => new Accumulator()).ToArray();
        var k = new double[width];
        var mu = new double[width];
        long rows = 0;
        using (var cursor = data.GetRowCursor(new[] { label.Column, score.Column }.DistinctBy(c => c.Index)))
        {
            var readLabel = label.CreateReader(cursor);
            var readScore = score.CreateReader(cursor);
            while (cursor.MoveNext())
            {
                readLabel.Read(k.AsSpan());
                readScore.Read(mu.AsSpan());
                for (int j = 0; j < width; j++)
                {
                    double kj = k[j], mj = mu[j];
                    if (!(kj >= 0) || double.IsInfinity(kj))
                        throw new InvalidDataException($"Label column '{label.Name}' has an invalid count ({kj}) at row {rows}{Slot(width, j)}: counts must be finite and 0 or more.");
                    if (!(mj >= 0) || double.IsInfinity(mj))
                        throw new InvalidDataException($"Score column '{score.Name}' has an invalid expected count ({mj}) at row {rows}{Slot(width, j)}: expected counts must be finite and 0 or more.");
                    var a = acc[j];
                    a.SumK += kj;
                    if (kj > 0) a.SumKLogK += kj * Math.Log(kj);
                    a.SumLogFactorial += LogGamma.LogFactorial(kj);
                    a.LogLikelihood += CountLikelihood.PoissonLogLikelihood(kj, mj);
                    a.Deviance += CountLikelihood.PoissonDeviance(kj, mj);
                    a.SumMu += mj;
                    if (alpha != null) a.NbLogLikelihood += CountLikelihood.NegativeBinomialLogLikelihood(kj, mj, alpha[j]);
                }
                rows++;
            }
        }
        if (rows == 0) throw new ArgumentException("The data to evaluate has no rows.", nameof(data));

        string[]? names = SlotNames(label.Column, width);
        var perOutput = new OutputCountMetrics[width];
        double totalLl = 0, totalRefLl = 0, totalDev = 0, totalNullDev = 0, totalK = 0, totalNb = 0;
        for (int j = 0; j < width; j++)
        {
            var a = acc[j];
            double mean = a.SumK / rows;
            // Null deviance with the evaluated mean m: 2 (Σ k ln k - S ln m), since Σ (k - m) = 0.
            double nullDeviance = mean > 0 ? 2 * (a.SumKLogK - a.SumK * Math.Log(mean)) : 0;
            double refMean = reference?[j] ?? mean;
            double refLl = refMean > 0 ? a.SumK * Math.Log(refMean) - rows * refMean - a.SumLogFactorial : (a.SumK == 0 ? 0 : double.NegativeInfinity);
            double bits = a.SumK > 0 ? (a.LogLikelihood - refLl) / (Math.Log(2) * a.SumK) : double.NaN;
            double explained = nullDeviance > 0 ? 1 - a.Deviance / nullDeviance : double.NaN;
            perOutput[j] = new OutputCountMetrics(j, names?[j], -a.LogLikelihood / rows, a.Deviance / rows, explained, bits,
                a.SumK, mean, a.SumMu / rows, refMean, alpha != null ? -a.NbLogLikelihood / rows : null);
            totalLl += a.LogLikelihood; totalRefLl += refLl; totalDev += a.Deviance; totalNullDev += nullDeviance;
            totalK += a.SumK; totalNb += a.NbLogLikelihood;
        }
        double n = (double)rows * width;
        return new CountMetrics(rows, -totalLl / n, totalDev / n,
            totalNullDev > 0 ? 1 - totalDev / totalNullDev : double.NaN,
            totalK > 0 ? (totalLl - totalRefLl) / (Math.Log(2) * totalK) : double.NaN,
            alpha != null ? -totalNb / n : null, perOutput);
    }

    /// <summary>Mean of a count column per output (the reference rates for bits per spike).</summary>
    public static double[] MeanCounts(IDataView data, string labelColumnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        var label = NumericColumn.Find(data.Schema, labelColumnName, role: "Label", parameterName: nameof(labelColumnName));
        int width = label.Width;
        var sums = new double[width];
        var k = new double[width];
        long rows = 0;
        using var cursor = data.GetRowCursor(new[] { label.Column });
        var read = label.CreateReader(cursor);
        while (cursor.MoveNext())
        {
            read.Read(k.AsSpan());
            for (int j = 0; j < width; j++) sums[j] += k[j];
            rows++;
        }
        if (rows == 0) throw new ArgumentException("The data has no rows.", nameof(data));
        for (int j = 0; j < width; j++) sums[j] /= rows;
        return sums;
    }

    private static string Slot(int width, int j) => width > 1 ? $", slot {j}" : "";

    private static double[]? Broadcast(IReadOnlyList<double>? values, int width, string paramName, string what)
    {
        if (values == null) return null;
        if (values.Count == width) return values.ToArray();
        if (values.Count == 1) return Enumerable.Repeat(values[0], width).ToArray();
        throw new ArgumentException($"Expected 1 or {width} {what} values (one per output); found {values.Count}.", paramName);
    }

    private static string[]? SlotNames(DataViewSchema.Column column, int width)
    {
        if (column.Type is not VectorDataViewType) return null;
        var slotNames = column.Annotations.Schema.GetColumnOrNull("SlotNames");
        if (slotNames == null) return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.Annotations.GetValue("SlotNames", ref names);
        if (names.Length != width) return null;
        return names.DenseValues().Select(m => m.ToString()).ToArray();
    }
}
