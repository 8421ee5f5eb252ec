using System.CommandLine;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Scenarios.Tabular;
using MlNetExt.Core.Training;

namespace MlNetExt.Cli.Commands;

/// <summary><c>mlnetext uncertainty-regression</c>.</summary>
internal static class UncertaintyRegressionCommand
{
    public static Command Create(CommandLineText commandLine)
    {
        var activation = new Option<ActivationKind>("--activation") { Description = "Hidden activation.", DefaultValueFactory = _ => ActivationKind.SiLU };
        var warmup = new Option<int>("--mean-warmup-epochs") { Description = "First epochs fit only the mean (squared error).", DefaultValueFactory = _ => 0 };
        var beta = new Option<float>("--beta") { Description = "Beta of the beta-NLL loss (0: plain Gaussian NLL).", DefaultValueFactory = _ => 0.5f };
        return TabularCommand.Create(commandLine, new UncertaintyRegressionScenario(),
            "Regression with a predicted mean and standard deviation for every prediction (NeuralGaussian) on a CSV/TSV file.",
            [activation, warmup, beta],
            new UncertaintyRegressionSettings { Epochs = 50, BatchSize = 64, LearningRate = 1e-3f, Threads = 1 },
            (result, settings) =>
            {
                settings = settings with
                {
                    Activation = result.GetValue(activation),
                    MeanWarmupEpochs = result.GetValue(warmup),
                    Beta = result.GetValue(beta),
                };
                if (settings.MeanWarmupEpochs < 0 || settings.MeanWarmupEpochs > settings.Epochs)
                    throw new UserInputException($"--mean-warmup-epochs must be between 0 and --epochs ({settings.Epochs}); found {settings.MeanWarmupEpochs}.");
                if (!(settings.Beta >= 0 && settings.Beta <= 1))
                    throw new UserInputException($"--beta must be between 0 and 1; found {settings.Beta}.");
                return settings;
            });
    }
}
