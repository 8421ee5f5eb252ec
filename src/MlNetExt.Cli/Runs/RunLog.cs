using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MlNetExt.Cli.Runs;

/// <summary>
/// The run's append-only log file: the tool's own lines, ML.NET's and MlNetExt's log messages (training stages and
/// epochs, data warnings) and, after an internal error, the exception with its stack trace. Every line is flushed.
/// </summary>
internal sealed class RunLog : IDisposable
{
    private readonly object _gate = new();
    private StreamWriter? _writer;

    public RunLog(string path)
    {
        Path = path;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public string Path { get; }

    /// <summary>Raised for every message of ML.NET's log that the log file records (the console shows them in verbose mode).</summary>
    public event Action<string>? MachineLearningMessage;

    /// <summary>Writes <paramref name="context"/>'s log messages (information, warnings and errors; not traces) to the file.</summary>
    public void Attach(MLContext context) => context.Log += (_, e) =>
    {
        if (e.Kind == ChannelMessageKind.Trace)
            return;
        Write($"[{e.Source}] {e.Message}");
        MachineLearningMessage?.Invoke(e.Kind == ChannelMessageKind.Warning ? "warning: " + e.Message : e.Message);
    };

    public void Write(string line)
    {
        lock (_gate)
            _writer?.WriteLine($"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} {line}");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }
}
