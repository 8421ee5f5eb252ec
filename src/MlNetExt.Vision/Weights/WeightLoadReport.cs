using System.Text;

namespace MlNetExt.Vision.Weights;

/// <summary>What loading a weight file into a module did: loaded, missing, unexpected and mismatched names.</summary>
public sealed class WeightLoadReport
{
    /// <summary>Creates a report.</summary>
    public WeightLoadReport(string source, IReadOnlyList<string> loadedKeys, IReadOnlyList<string> missingKeys,
        IReadOnlyList<string> unexpectedKeys, IReadOnlyList<WeightShapeMismatch> shapeMismatches,
        IReadOnlyList<string> ignoredMissingKeys)
    {
        Source = source;
        LoadedKeys = loadedKeys;
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
        IgnoredMissingKeys = ignoredMissingKeys;
    }

    /// <summary>The file (or description) the weights came from.</summary>
    public string Source { get; }

    /// <summary>Module entries that received a value.</summary>
    public IReadOnlyList<string> LoadedKeys { get; }

    /// <summary>Module entries the file does not contain (they keep their current values).</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>File entries the module does not have (ignored).</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>Entries in both whose shapes differ (not loaded).</summary>
    public IReadOnlyList<WeightShapeMismatch> ShapeMismatches { get; }

    /// <summary>
    /// Missing <c>num_batches_tracked</c> counters, not counted as missing (they do not affect inference and
    /// many exporters drop them); see <see cref="WeightLoadOptions.IgnoreMissingBatchCounters"/>.
    /// </summary>
    public IReadOnlyList<string> IgnoredMissingKeys { get; }

    /// <summary>True when every module entry was loaded and every file entry was used.</summary>
    public bool IsExactMatch => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0 && ShapeMismatches.Count == 0;

    /// <summary>A readable summary listing every problem (at most <paramref name="maxPerList"/> names per list).</summary>
    public string Describe(int maxPerList = 20)
    {
        var sb = new StringBuilder();
        sb.Append($"Weights from '{Source}': {LoadedKeys.Count} loaded, {MissingKeys.Count} missing, ")
          .Append($"{UnexpectedKeys.Count} unexpected, {ShapeMismatches.Count} shape mismatches.");
        Append(sb, "Missing keys (in the module, not in the file)", MissingKeys, maxPerList);
        Append(sb, "Unexpected keys (in the file, not in the module)", UnexpectedKeys, maxPerList);
        Append(sb, "Shape mismatches", ShapeMismatches.Select(m => m.ToString()).ToList(), maxPerList);
        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Describe();

    private static void Append(StringBuilder sb, string title, IReadOnlyList<string> items, int max)
    {
        if (items.Count == 0)
        {
            return;
        }

        sb.AppendLine().Append(title).Append(':');
        foreach (var item in items.Take(max))
        {
            sb.AppendLine().Append("  ").Append(item);
        }

        if (items.Count > max)
        {
            sb.AppendLine().Append($"  ... and {items.Count - max} more");
        }
    }
}
