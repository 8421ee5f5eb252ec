using Microsoft.ML;
using Microsoft.ML.Data;

namespace AtomUncertainty;

/// <summary>Labels with predicted means and standard deviations, as rows the uncertainty evaluator reads.</summary>
public sealed class ScoredPosition
{
    [VectorType(3)] public float[] Label { get; set; } = [];
    [VectorType(3)] public float[] Score { get; set; } = [];
    [VectorType(3)] public float[] ScoreStdDev { get; set; } = [];
    [VectorType(3)] public float[] TrueStdDev { get; set; } = [];
}

public static class ScoredPositions
{
    /// <summary>Reads a scored data view (Label, Score, ScoreStdDev, TrueStdDev) into rows.</summary>
    public static ScoredPosition[] Read(MLContext ml, IDataView scored) =>
        ml.Data.CreateEnumerable<ScoredPosition>(scored, reuseRowObject: false).ToArray();

    /// <summary>The same predictions with the standard deviation replaced by one constant per coordinate.</summary>
    public static ScoredPosition[] WithConstantStdDev(IEnumerable<ScoredPosition> rows, float[] stdDev) =>
        rows.Select(r => new ScoredPosition { Label = r.Label, Score = r.Score, ScoreStdDev = stdDev, TrueStdDev = r.TrueStdDev }).ToArray();

    /// <summary>Per-coordinate root mean squared residual: the spread a constant-sigma model should predict.</summary>
    public static float[] ResidualStdDev(IReadOnlyList<ScoredPosition> rows) =>
        Enumerable.Range(0, 3)
            .Select(c => (float)Math.Sqrt(rows.Average(r => Math.Pow(r.Label[c] - r.Score[c], 2))))
            .ToArray();
}
