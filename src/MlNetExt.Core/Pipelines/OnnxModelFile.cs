using System.Collections.Concurrent;

namespace MlNetExt.Core.Pipelines;

/// <summary>
/// An ONNX model that MlNetExt wrote to a file for ML.NET's <c>ApplyOnnxModel</c> (which reads the model from a path, and
/// reads it again when the model is saved). ML.NET's own copy of a model given as a stream is never deleted; this file is
/// deleted when <see cref="Dispose"/> is called, when the garbage collector finalizes it (it lives exactly as long as its
/// transformer, see <see cref="OnnxTransformerFactory"/>), and at the latest when the process exits normally.
/// </summary>
internal sealed class OnnxModelFile : IDisposable
{
    // Process-exit cleanup needs to know the files still alive; this set holds paths, never the objects, so it does not
    // keep a file (or its transformer) from being collected.
    private static readonly ConcurrentDictionary<string, byte> Alive = new(StringComparer.Ordinal);

    static OnnxModelFile()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var path in Alive.Keys)
                TryDelete(path);
        };
    }

    private OnnxModelFile(string path)
    {
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="model"/> to a new file <c>mlnetext-*.onnx</c> in <paramref name="directory"/>.</summary>
    /// <exception cref="IOException">The directory cannot be created or written (the message names it).</exception>
    public static OnnxModelFile Write(string directory, byte[] model)
    {
        string path = System.IO.Path.Combine(directory, $"mlnetext-{Guid.NewGuid():N}.onnx");
        Alive[path] = 0;
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
                stream.Write(model);
            return new OnnxModelFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(path);
            Alive.TryRemove(path, out _);
            throw new IOException(
                $"Could not write the ONNX model to the temporary directory '{directory}' (MLContext.TempFilePath): {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Delete();
        GC.SuppressFinalize(this);
    }

    ~OnnxModelFile() => Delete();

    private void Delete()
    {
        if (TryDelete(Path))
            Alive.TryRemove(Path, out _);
    }

    /// <summary>Deletes the file; false when it is still there (open elsewhere on Windows). Never throws.</summary>
    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
