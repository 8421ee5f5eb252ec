namespace MlNetExt.Vision.Catalog;

/// <summary>Options of <see cref="WeightDownloader"/>.</summary>
public sealed class WeightDownloaderOptions
{
    /// <summary>Name of the environment variable that overrides the cache directory.</summary>
    public const string CacheEnvironmentVariable = "MLNETEXT_CACHE";

    /// <summary>
    /// Cache directory; <c>null</c>: <c>$MLNETEXT_CACHE</c>, else <c>$XDG_CACHE_HOME/mlnetext</c>, else
    /// <c>~/.cache/mlnetext</c> (on Windows <c>%LOCALAPPDATA%\mlnetext</c>).
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// Download entries that have no published SHA-256 (the file is then trusted as served). Default false: such
    /// entries must be placed in the cache by hand.
    /// </summary>
    public bool AllowUnverifiedDownloads { get; set; }

    /// <summary>HTTP timeout of one download.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>HTTP client to use (for proxies or tests); <c>null</c> creates one per download.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>The cache directory these options resolve to.</summary>
    public string ResolveCacheDirectory() => ResolveCacheDirectory(Environment.GetEnvironmentVariable);

    /// <summary>The cache directory, reading environment variables through <paramref name="environment"/>.</summary>
    internal string ResolveCacheDirectory(Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(CacheDirectory))
        {
            return Path.GetFullPath(CacheDirectory);
        }

        string? fromEnvironment = environment(CacheEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "mlnetext");
        }

        string? xdg = environment("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg))
        {
            return Path.Combine(xdg, "mlnetext");
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mlnetext");
    }
}
