namespace MlNetExt.Core.IO;

/// <summary>
/// Writes files so that no half-written file is ever left under the destination name: the content goes to a
/// temporary file beside the destination (a short fixed-length name, so any valid destination name works), is flushed
/// to disk, and is renamed over the destination only once complete.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, replacing any existing file.</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="content">The bytes to write.</param>
    public static void WriteAllBytes(string path, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Write(path, stream => stream.Write(content));
    }

    /// <summary>
    /// Lets <paramref name="write"/> fill a new stream, then renames the finished file to <paramref name="path"/>.
    /// If <paramref name="write"/> throws, the destination is left as it was and the temporary file is removed.
    /// </summary>
    /// <param name="path">Destination file; replaced if it exists.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    /// <exception cref="IOException">The file could not be written (also <see cref="UnauthorizedAccessException"/>,
    /// <see cref="DirectoryNotFoundException"/>, <see cref="PathTooLongException"/>); the message names
    /// <paramref name="path"/>, never the temporary file.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        // A dot file of fixed length: a destination name of any valid length still fits, and listings hide it.
        string temp = Path.Combine(directory, "." + Guid.NewGuid().ToString("N")[..16] + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Describe(e, full, temp);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>The same kind of exception, naming the destination instead of the temporary file.</summary>
    private static Exception Describe(Exception e, string destination, string temp)
    {
        string message = $"Could not write '{destination}': {e.Message.Replace(temp, destination, StringComparison.Ordinal)}";
        return e switch
        {
            UnauthorizedAccessException => new UnauthorizedAccessException(message, e),
            DirectoryNotFoundException => new DirectoryNotFoundException(message, e),
            PathTooLongException => new PathTooLongException(message, e),
            FileNotFoundException => new FileNotFoundException(message, destination, e),
            _ => new IOException(message, e),
        };
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
