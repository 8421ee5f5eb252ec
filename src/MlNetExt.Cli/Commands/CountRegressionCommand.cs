using System.CommandLine;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Scenarios.Tabular;
using MlNetExt.Core.Training;

namespace MlNetExt.Cli.Commands;

/// <summary><c>mlnetext count-regression</c>.</summary>
internal static class CountRegressionCommand
{
    public static Command Create(CommandLineText commandLine)
    {
        var likelihood = new Option<string>("--likelihood") { Description = "poisson or negative-binomial (one dispersion per output is learnt).", DefaultValueFactory = _ => "poisson" };
        likelihood.AcceptOnlyFromAmong("poisson", "negative-binomial");
        var exposure = new Option<string?>("--exposure") { Description = "Exposure column (positive): expected count = exposure x rate (a GLM offset)." };
        var activation = new Option<ActivationKind>("--activation") { Description = "Hidden activation.", DefaultValueFactory = _ => ActivationKind.ReLU };
        var dropout = new Option<float>("--dropout") { Description = "Dropout after each hidden activation.", DefaultValueFactory = _ => 0f };
        return TabularCommand.Create(commandLine, new CountRegressionScenario(),
            "Neural Poisson or negative-binomial regression of count columns of a CSV/TSV file (one or several labels, optional exposure).",
            [likelihood, exposure, activation, dropout],
            new CountRegressionSettings { Epochs = 30, BatchSize = 256, LearningRate = 3e-3f, Threads = 1 },
            (result, settings) =>
            {
                settings = settings with
                {
                    Likelihood = result.GetValue(likelihood) == "negative-binomial" ? CountLikelihood.NegativeBinomial : CountLikelihood.Poisson,
                    Exposure = result.GetValue(exposure),
                    Activation = result.GetValue(activation),
                    Dropout = result.GetValue(dropout),
                };
                if (!(settings.Dropout >= 0 && settings.Dropout < 1))
                    throw new UserInputException($"--dropout must be in [0, 1); found {settings.Dropout}.");
                return settings;
            });
    }
}
