namespace MlNetExt.Cli.Scenarios.Tabular;

/// <summary>Settings of the scenarios that read a CSV/TSV file with a header row: column roles by name.</summary>
internal abstract record TabularSettings : TrainingSettings
{
    /// <summary>The data file (absolute path).</summary>
    public string Data { get; init; } = "";

    /// <summary>The field separator (one character; "\t" for tab).</summary>
    public string Separator { get; init; } = ",";

    /// <summary>A separate held-out file with the same columns (instead of <see cref="TrainingSettings.TestFraction"/>).</summary>
    public string? TestData { get; init; }

    /// <summary>A separate validation file with the same columns (instead of <see cref="TrainingSettings.ValidationFraction"/>).</summary>
    public string? ValidationData { get; init; }

    /// <summary>The label column(s); several give a vector label (one output each).</summary>
    public string[] Labels { get; init; } = [];

    /// <summary>The feature columns (resolved: every column that is not a label, exposure, key or ignored, unless given).</summary>
    public string[] Features { get; init; } = [];

    /// <summary>Columns left out.</summary>
    public string[] Ignore { get; init; } = [];

    /// <summary>Hidden layer widths of the network.</summary>
    public int[] HiddenLayers { get; init; } = [64, 64];

    /// <summary>The columns with a fixed role other than label, feature or ignored (exposure).</summary>
    public virtual IEnumerable<string> OtherRoles() => [];

    [System.Text.Json.Serialization.JsonIgnore]
    public char SeparatorChar => Separator == "\\t" ? '\t' : Separator[0];
}
