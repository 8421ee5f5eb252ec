using System.Security.Cryptography;
using MlNetExt.Vision.Weights;

namespace MlNetExt.Vision.Catalog;

/// <summary>
/// Finds or downloads the file of a <see cref="PretrainedWeights"/> entry: shipped files come from the package's
/// <c>models/</c> folder; others are downloaded once into the cache directory (to a temporary file, renamed only
/// after its SHA-256 matches), with progress reports. Safe to use from several threads and processes: one download
/// per file at a time, the other callers wait for it; each download writes its own temporary file and renames it
/// atomically, and a failed one leaves nothing behind.
/// </summary>
public sealed class WeightDownloader
{
    private readonly WeightDownloaderOptions _options;

    /// <summary>Creates a downloader.</summary>
    public WeightDownloader(WeightDownloaderOptions? options = null)
    {
        _options = options ?? new WeightDownloaderOptions();
    }

    /// <summary>The cache directory in use.</summary>
    public string CacheDirectory => _options.ResolveCacheDirectory();

    /// <summary>Where the file of <paramref name="entry"/> lives in the cache (always inside <see cref="CacheDirectory"/>).</summary>
    public string CachePath(PretrainedWeights entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return CacheNames.TargetPath(CacheDirectory, entry.Id, entry.FileName);
    }

    /// <summary>Synchronous <see cref="EnsureAsync"/>.</summary>
    public string Ensure(PretrainedWeights entry, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        EnsureAsync(entry, progress, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Returns the local path of the entry's file, downloading it first if needed. <paramref name="progress"/>
    /// receives the number of bytes received so far. Concurrent calls for one file (threads of this process, or other
    /// processes sharing the cache) download it once: the others wait and then use the cached file.
    /// <see cref="WeightDownloaderOptions.Timeout"/> bounds the whole call, waiting and transfer included.
    /// </summary>
    /// <exception cref="InvalidDataException">The downloaded (or cached) file does not have the published SHA-256.</exception>
    /// <exception cref="IOException">The download failed (offline, interrupted, too slow) or the cache is not writable; the
    /// message says which file to place where. Nothing is left in the cache.</exception>
    /// <exception cref="InvalidOperationException">The entry has no published hash or needs conversion, and is not in the cache.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string> EnsureAsync(PretrainedWeights entry, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.IsShipped)
        {
            return ShippedFile(entry);
        }

        string target = CachePath(entry);
        if (CachedFileIsGood(entry, target))
        {
            return target;
        }

        if (entry.RequiresConversion)
        {
            throw new InvalidOperationException(
                $"Pretrained weights '{entry.Id}' are published only as a PyTorch pickle ({entry.Url}), which MlNetExt does not download. "
                + $"Download it and convert it to safetensors (Python: `import torch; from safetensors.torch import save_file; "
                + $"save_file(torch.load('{Path.GetFileName(entry.Url?.LocalPath ?? "model.pth")}', map_location='cpu', weights_only=True), '{entry.FileName}')`) "
                + $"and place the result at '{target}'.");
        }

        if (entry.Sha256 is null && !_options.AllowUnverifiedDownloads)
        {
            throw new InvalidOperationException(
                $"Pretrained weights '{entry.Id}' have no published SHA-256, so they are not downloaded automatically. "
                + $"Download {entry.Url} yourself and place it at '{target}', or set WeightDownloaderOptions.AllowUnverifiedDownloads.");
        }

        if (entry.Url is null)
        {
            throw new InvalidOperationException($"Pretrained weights '{entry.Id}' have no download address; place the file at '{target}'.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var createdFolders = FoldersToCreate(target);
        bool succeeded = false;
        try
        {
            DownloadLock gate;
            try
            {
                gate = await DownloadLock.AcquireAsync(target, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw new IOException(StoreFailedMessage(entry, target, ex.Message), ex);
            }

            using (gate)
            {
                // Another caller may have downloaded the file while this one waited.
                if (!CachedFileIsGood(entry, target))
                {
                    await DownloadAsync(entry, entry.Url, target, progress, cancellationToken, timeout.Token).ConfigureAwait(false);
                }
            }

            succeeded = true;
            return target;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException(OfflineMessage(entry, entry.Url, target, $"no complete download within the timeout of {_options.Timeout}"), ex);
        }
        finally
        {
            if (!succeeded)
            {
                RemoveEmptyFolders(createdFolders);
            }
        }
    }

    private static bool CachedFileIsGood(PretrainedWeights entry, string target)
    {
        if (!File.Exists(target))
        {
            return false;
        }

        if (entry.Sha256 is null || HashMatches(target, entry.Sha256, out _))
        {
            return true;
        }

        // A cached file that fails its hash is corrupt or stale: replace it.
        File.Delete(target);
        return false;
    }

    /// <summary>The folders between the cache root and the target that do not exist yet, deepest first.</summary>
    private static List<string> FoldersToCreate(string target)
    {
        var folders = new List<string>();
        for (string? folder = Path.GetDirectoryName(target); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            folders.Add(folder);
        }

        return folders;
    }

    private static void RemoveEmptyFolders(List<string> folders)
    {
        foreach (var folder in folders)
        {
            try
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another download is using it now.
            }
        }
    }

    private async Task DownloadAsync(PretrainedWeights entry, Uri url, string target, IProgress<long>? progress,
        CancellationToken callerToken, CancellationToken cancellationToken)
    {
        // Short temporary name: a file name that fits the file system must not fail because of the suffix.
        string temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Guid.NewGuid().ToString("N")[..12] + ".partial");
        HttpClient client = _options.HttpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            FileStream file;
            try
            {
                file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw new IOException(StoreFailedMessage(entry, target, ex.Message), ex);
            }

            string actualHash;
            long received = 0;
            await using (file)
            {
                try
                {
                    using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                    long? expectedLength = response.Content.Headers.ContentLength ?? entry.SizeBytes;
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var buffer = new byte[1 << 16];
                        int read;
                        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            hash.AppendData(buffer, 0, read);
                            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                            received += read;
                            progress?.Report(received);
                        }
                    }

                    if (expectedLength is long length && received != length)
                    {
                        throw new IOException($"the connection ended after {received} of {length} bytes");
                    }

                    actualHash = Convert.ToHexStringLower(hash.GetHashAndReset());
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException
                    || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested && !callerToken.IsCancellationRequested)
                {
                    // An OperationCanceledException here without either token: the HttpClient's own timeout.
                    throw new IOException(OfflineMessage(entry, url, target, ex.Message), ex);
                }
            }

            if (entry.Sha256 is not null && !string.Equals(actualHash, entry.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException(
                    $"Downloaded '{url}' for '{entry.Id}' has SHA-256 {actualHash}, expected {entry.Sha256} ({received} bytes); the file was discarded. "
                    + $"If you have the correct file, place it at '{target}'.");
            }

            try
            {
                File.Move(temp, target, overwrite: true);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw new IOException(StoreFailedMessage(entry, target, ex.Message), ex);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            if (_options.HttpClient is null)
            {
                client.Dispose();
            }
        }
    }

    private static string StoreFailedMessage(PretrainedWeights entry, string target, string reason) =>
        $"Could not store pretrained weights '{entry.Id}' in the cache: {reason}. Nothing was cached. "
        + $"Place the file at '{target}' yourself, or choose a writable cache directory (WeightDownloaderOptions.CacheDirectory or the "
        + $"{WeightDownloaderOptions.CacheEnvironmentVariable} environment variable).";

    private static string OfflineMessage(PretrainedWeights entry, Uri url, string target, string reason) =>
        $"Could not download pretrained weights '{entry.Id}' from {url}: {reason}. Nothing was cached. "
        + $"To use them offline, download that file on a machine with internet access and place it at '{target}'"
        + (entry.Sha256 is null ? "" : $" (SHA-256 {entry.Sha256})")
        + $"; the cache directory can be changed with the {WeightDownloaderOptions.CacheEnvironmentVariable} environment variable.";

    private string ShippedFile(PretrainedWeights entry)
    {
        var candidates = new List<string>();
        string? directory = AppContext.BaseDirectory;
        candidates.Add(Path.Combine(directory, "models", entry.FileName));
        // Running from a source checkout: walk up to the repository's models/ folder.
        for (var dir = new DirectoryInfo(directory).Parent; dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "models", entry.FileName));
        }

        candidates.Add(CachePath(entry));
        foreach (var candidate in candidates)
        {
            if (!File.Exists(candidate))
            {
                continue;
            }

            if (entry.Sha256 is not null && !HashMatches(candidate, entry.Sha256, out string actual))
            {
                throw new InvalidDataException(
                    $"Shipped weights '{candidate}' for '{entry.Id}' have SHA-256 {actual}, expected {entry.Sha256}: the file is damaged or from another version.");
            }

            return candidate;
        }

        throw new FileNotFoundException(
            $"The shipped weights '{entry.Id}' ({entry.FileName}) were not found; looked in: {string.Join(", ", candidates.Take(3))} ... and '{CachePath(entry)}'. "
            + $"The file ships in the MlNetExt.Vision package, whose build targets copy it to models/ next to the application: rebuild "
            + $"the application (and keep its models/ folder when copying it), or copy models/{entry.FileName} from the package to '{CachePath(entry)}'.",
            entry.FileName);
    }

    private static bool HashMatches(string path, string expected, out string actual)
    {
        using var stream = File.OpenRead(path);
        actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        return string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);
    }
}
