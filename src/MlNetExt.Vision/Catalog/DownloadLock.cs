using System.Collections.Concurrent;

namespace MlNetExt.Vision.Catalog;

/// <summary>
/// Serialises downloads of one cache file: within a process through a semaphore per target path, across processes
/// through an exclusively opened <c>.download.lock</c> in the target's folder (deleted when released). The lock only
/// saves duplicate downloads: correctness never depends on it, because every download writes its own temporary file
/// and renames it atomically.
/// </summary>
internal sealed class DownloadLock : IDisposable
{
    // Process-wide by design: two WeightDownloader instances with the same cache must share it. One small semaphore
    // per distinct target path ever requested.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates =
        new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    /// <summary>Name of the lock file in an entry's cache folder.</summary>
    public const string LockFileName = ".download.lock";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _gate;
    private readonly FileStream _file;

    private DownloadLock(SemaphoreSlim gate, FileStream file)
    {
        _gate = gate;
        _file = file;
    }

    /// <summary>Waits until this caller alone may download <paramref name="target"/>; creates its folder as needed.</summary>
    /// <exception cref="UnauthorizedAccessException">The folder or the lock file cannot be created.</exception>
    public static async Task<DownloadLock> AcquireAsync(string target, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(target, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var file = await OpenLockFileAsync(Path.Combine(Path.GetDirectoryName(target)!, LockFileName), cancellationToken).ConfigureAwait(false);
            return new DownloadLock(gate, file);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private static async Task<FileStream> OpenLockFileAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Recreated on every try: a failing download in another process removes the (empty) folder it made.
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (DirectoryNotFoundException)
            {
                // Removed between CreateDirectory and the open: try again at once.
            }
            catch (IOException ex) when (ex.GetType() == typeof(IOException) && File.Exists(path))
            {
                // Held by another process (its download is in progress): wait for it.
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Releases the lock file (which deletes it) and the in-process gate.</summary>
    public void Dispose()
    {
        _file.Dispose();
        _gate.Release();
    }
}
