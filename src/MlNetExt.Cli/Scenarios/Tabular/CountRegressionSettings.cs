using MlNetExt.Core.Training;

namespace MlNetExt.Cli.Scenarios.Tabular;

/// <summary>The count likelihood.</summary>
internal enum CountLikelihood
{
    Poisson,
    NegativeBinomial,
}

/// <summary>count-regression: neural Poisson or negative-binomial regression of one or several count columns.</summary>
internal sealed record CountRegressionSettings : TabularSettings
{
    public CountLikelihood Likelihood { get; init; } = CountLikelihood.Poisson;

    /// <summary>The exposure column (expected count = exposure x rate), or null.</summary>
    public string? Exposure { get; init; }

    public ActivationKind Activation { get; init; } = ActivationKind.ReLU;

    public float Dropout { get; init; }

    public override IEnumerable<string> OtherRoles() => Exposure is null ? [] : [Exposure];
}
