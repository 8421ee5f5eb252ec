using MlNetExt.Cli.Scenarios.Tabular;

namespace MlNetExt.Cli.Scenarios.Cca;

/// <summary>cca: canonical correlation analysis of two groups of numeric columns of one CSV/TSV file.</summary>
internal sealed record CcaSettings : TabularSettings
{
    /// <summary>The first view's columns.</summary>
    public string[] ViewA { get; init; } = [];

    /// <summary>The second view's columns.</summary>
    public string[] ViewB { get; init; } = [];

    /// <summary>"deep" (DeepCca, with linear CCA fitted alongside as the baseline) or "linear" (LinearCca).</summary>
    public string Method { get; init; } = "deep";

    /// <summary>Number of canonical pairs.</summary>
    public int Components { get; init; } = 2;

    /// <summary>Ridge added to each view's covariance.</summary>
    public double Regularization { get; init; } = 1e-3;
}
