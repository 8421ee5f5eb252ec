namespace MlNetExt.Core.IO;

/// <summary>
/// Writes files so that no half-written file is ever left under the destination name: the content goes to a
/// temporary file beside the destination, which is renamed over it only once complete.
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
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string temp = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                write(stream);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
