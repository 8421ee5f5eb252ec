using System.Text.Json;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Scenarios;

namespace MlNetExt.Cli.Runs;

/// <summary>
/// config.json: the scenario, every resolved option (the settings record: data paths, columns, seed, threads, epochs, ...),
/// the command line and the package versions and machine. <c>mlnetext replay config.json</c> trains again from it.
/// </summary>
internal sealed class RunConfig
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required string Scenario { get; init; }

    public required DateTime CreatedUtc { get; init; }

    public required string CommandLine { get; init; }

    public required JsonElement Settings { get; init; }

    public required RunEnvironment Environment { get; init; }

    public static RunConfig For(string scenario, TrainingSettings settings, string commandLine) => new()
    {
        Scenario = scenario,
        CreatedUtc = DateTime.UtcNow,
        CommandLine = commandLine,
        Settings = JsonSerializer.SerializeToElement(settings, settings.GetType(), CliJson.Options),
        Environment = RunEnvironment.Current(),
    };

    /// <summary>Reads config.json; a missing or damaged file is bad input.</summary>
    public static RunConfig Read(string path)
    {
        if (Directory.Exists(path))
            path = Path.Combine(path, RunFolder.ConfigFile);
        if (!File.Exists(path))
            throw new UserInputException($"'{path}' does not exist; give a run folder or its config.json.");
        try
        {
            var config = CliJson.Deserialize<RunConfig>(File.ReadAllText(path));
            if (config.FormatVersion != CurrentFormatVersion)
                throw new UserInputException($"'{path}' has format version {config.FormatVersion}; this mlnetext reads version {CurrentFormatVersion}.");
            return config;
        }
        catch (JsonException e)
        {
            throw new UserInputException($"'{path}' is not a valid mlnetext config.json: {e.Message}");
        }
    }

    public T SettingsAs<T>() where T : TrainingSettings => (T)SettingsAs(typeof(T));

    public TrainingSettings SettingsAs(Type type) =>
        (TrainingSettings)(Settings.Deserialize(type, CliJson.Options) ?? throw new UserInputException("config.json has no settings."));
}
