using MlNetExt.Cli.Console;
using MlNetExt.Cli.Scenarios.Tabular;

namespace MlNetExt.Cli.Scenarios;

/// <summary>Every training scenario by name (config.json's "scenario"), for replay and evaluate.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<ITrainingScenario> All { get; } =
    [
        new CountRegressionScenario(),
        new UncertaintyRegressionScenario(),
        new Images.ImageClassificationScenario(),
        new Images.ImageEmbeddingScenario(),
        new Cca.CcaScenario(),
    ];

    public static ITrainingScenario Get(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new UserInputException($"unknown scenario '{name}' in config.json; this mlnetext knows {string.Join(", ", All.Select(s => s.Name))}.");
}
