using MlNetExt.Core.Training;

namespace MlNetExt.Cli.Scenarios.Tabular;

/// <summary>uncertainty-regression: NeuralGaussian (a mean and a standard deviation per prediction) of one or several columns.</summary>
internal sealed record UncertaintyRegressionSettings : TabularSettings
{
    public ActivationKind Activation { get; init; } = ActivationKind.SiLU;

    /// <summary>Epochs at the start that fit only the mean.</summary>
    public int MeanWarmupEpochs { get; init; }

    /// <summary>The beta of the beta-NLL loss (0: plain NLL).</summary>
    public float Beta { get; init; } = 0.5f;
}
