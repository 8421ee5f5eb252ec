namespace MlNetExt.Vision.Weights;

/// <summary>How <see cref="WeightLoader"/> matches file entries to a module's state dict.</summary>
public sealed class WeightLoadOptions
{
    /// <summary>
    /// Strict (default): any missing key, unexpected key or shape mismatch throws <see cref="WeightLoadException"/>
    /// and nothing is loaded. Non-strict: loads every entry whose name and shape match (for example a backbone whose
    /// head was replaced) and reports the rest.
    /// </summary>
    public bool Strict { get; set; } = true;

    /// <summary>
    /// Only file entries starting with this prefix are used, with the prefix removed (for example <c>"module."</c>
    /// or <c>"backbone."</c>); <c>null</c> uses every entry as it is.
    /// </summary>
    public string? SourcePrefix { get; set; }

    /// <summary>Do not count missing BatchNorm <c>num_batches_tracked</c> counters as missing (default true).</summary>
    public bool IgnoreMissingBatchCounters { get; set; } = true;
}
