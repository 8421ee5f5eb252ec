namespace MlNetExt.Cli.Tests;

/// <summary>One count-regression run shared by the tests that read, predict with, evaluate, export and replay it.</summary>
public sealed class CountRegressionRun : IDisposable
{
    private readonly TempFolder _folder = new();

    public CountRegressionRun()
    {
        TabularFiles.Counts(Data, rows: 400, seed: 7);
        Train = CliRun.Run(_folder.Path, "count-regression", "--data", Data, "--label", "y", "--epochs", "40", "--hidden-layers", "16",
            "--learning-rate", "0.01", "--seed", "3", "--output", Folder);
    }

    public string Root => _folder.Path;

    public string Data => _folder["counts.csv"];

    public string Folder => _folder["run"];

    public CliResult Train { get; }

    public void Dispose() => _folder.Dispose();
}
