using System.Text;
using MlNetExt.Cli.Console;
using MlNetExt.Core.IO;

namespace MlNetExt.Cli.Runs;

/// <summary>
/// The folder one training (or evaluation) run writes. Every file is written whole through a temporary name and a rename
/// (Core's <see cref="AtomicFile"/>), so a reader never sees half a file, also after Ctrl+C or a crash; the log is
/// append-only.
/// </summary>
internal sealed class RunFolder
{
    public const string ModelFile = "model.zip";
    public const string OnnxFile = "model.onnx";
    public const string ConfigFile = "config.json";
    public const string MetricsFile = "metrics.json";
    public const string HistoryFile = "history.csv";
    public const string ReportFile = "report.html";
    public const string SplitFile = "split.csv";
    public const string LogFile = "run.log";
    public const string ConsumeFolder = "consume";

    private RunFolder(string path) => Path = path;

    public string Path { get; }

    public string this[string file] => System.IO.Path.Combine(Path, file);

    /// <summary>Creates the folder; an existing folder must be empty (runs are never overwritten).</summary>
    public static RunFolder Create(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
            throw new UserInputException($"--output '{path}' is a file; give a folder for the run (it is created).");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new UserInputException($"--output '{path}' already holds files; give a new or empty folder (runs are never overwritten).");
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot create the run folder '{path}': {e.Message}");
        }
        return new RunFolder(full);
    }

    /// <summary>A default run folder name under <paramref name="parent"/>: the scenario and the UTC time, made unique.</summary>
    public static string DefaultPath(string parent, string scenario)
    {
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        string candidate = System.IO.Path.Combine(parent, $"{scenario}-{stamp}");
        for (int i = 2; Directory.Exists(candidate); i++)
            candidate = System.IO.Path.Combine(parent, $"{scenario}-{stamp}-{i}");
        return candidate;
    }

    public void WriteText(string file, string text) => AtomicFile.WriteAllBytes(this[file], Encoding.UTF8.GetBytes(text));

    public void WriteBytes(string file, byte[] bytes) => AtomicFile.WriteAllBytes(this[file], bytes);

    public void WriteJson<T>(string file, T value) => WriteText(file, CliJson.Serialize(value) + "\n");

    public void Write(string file, Action<Stream> write) => AtomicFile.Write(this[file], write);
}
