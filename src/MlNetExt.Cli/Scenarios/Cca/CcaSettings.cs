using MlNetExt.Cli.Scenarios.Tabular;

namespace MlNetExt.Cli.Scenarios.Cca;

/// <summary>cca: canonical correlation analysis of two groups of numeric columns of one CSV/TSV file, or of two files joined
/// by a key column (view A from <see cref="TabularSettings.Data"/>, view B from <see cref="DataB"/>).</summary>
internal sealed record CcaSettings : TabularSettings
{
    /// <summary>The first view's columns.</summary>
    public string[] ViewA { get; init; } = [];

    /// <summary>The second view's columns.</summary>
    public string[] ViewB { get; init; } = [];

    /// <summary>A second CSV/TSV file holding the view B columns, joined to <see cref="TabularSettings.Data"/> by <see cref="Key"/>;
    /// null when both views are columns of one file.</summary>
    public string? DataB { get; init; }

    /// <summary>The field separator of <see cref="DataB"/> ("\t" for tab).</summary>
    public string SeparatorB { get; init; } = ",";

    /// <summary>The column both files share that identifies a row (with <see cref="DataB"/>).</summary>
    public string? Key { get; init; }

    /// <summary>"deep" (DeepCca, with linear CCA fitted alongside as the baseline) or "linear" (LinearCca).</summary>
    public string Method { get; init; } = "deep";

    /// <summary>Number of canonical pairs.</summary>
    public int Components { get; init; } = 2;

    /// <summary>Ridge added to each view's covariance.</summary>
    public double Regularization { get; init; } = 1e-3;
}
