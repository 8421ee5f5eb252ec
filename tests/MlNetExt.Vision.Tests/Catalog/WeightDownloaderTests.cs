using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;

namespace MlNetExt.Vision.Tests.Catalog;

public sealed class WeightDownloaderTests
{
    private sealed class RecordingProgress : IProgress<long>
    {
        public List<long> Values { get; } = new();

        public void Report(long value) => Values.Add(value);
    }

    private static (byte[] Bytes, string Sha256) SmallWeightFile(TempDirectory dir)
    {
        torch.manual_seed(51);
        using var net = new SmallCnn(new SmallCnnOptions { Channels = new[] { 8, 16 }, NumClasses = 3 });
        var path = dir.File("source.safetensors");
        net.SaveWeights(path);
        var bytes = File.ReadAllBytes(path);
        return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static PretrainedWeights Entry(Uri url, string? sha256) =>
        new("test.small", "small_cnn", "small.safetensors", () => new SmallCnnOptions { Channels = new[] { 8, 16 }, NumClasses = 3 })
        {
            Url = url,
            Sha256 = sha256,
        };

    [Fact]
    public void Download_verifies_hash_reports_progress_caches_and_is_reused()
    {
        using var dir = new TempDirectory();
        var (bytes, sha) = SmallWeightFile(dir);
        using var server = new LocalFileServer(bytes);
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache") });
        var entry = Entry(server.Url("file"), sha);
        var progress = new RecordingProgress();

        string path = downloader.Ensure(entry, progress, TestContext.Current.CancellationToken);
        string again = downloader.Ensure(entry, null, TestContext.Current.CancellationToken);

        Assert.Equal(downloader.CachePath(entry), path);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(bytes.Length, progress.Values[^1]);
        Assert.True(progress.Values.SequenceEqual(progress.Values.Order()), "progress must not go backwards");
        Assert.Equal(path, again);
        Assert.Equal(1, server.Requests);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Wrong_hash_is_rejected_and_leaves_no_cache_entry()
    {
        using var dir = new TempDirectory();
        var (bytes, _) = SmallWeightFile(dir);
        using var server = new LocalFileServer(bytes);
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache") });
        var entry = Entry(server.Url("file"), new string('0', 64));

        var ex = Assert.Throws<InvalidDataException>(() => downloader.Ensure(entry, null, TestContext.Current.CancellationToken));

        Assert.Contains("SHA-256", ex.Message);
        Assert.Contains(new string('0', 64), ex.Message);
        Assert.False(File.Exists(downloader.CachePath(entry)));
        Assert.False(Directory.Exists(dir.File("cache")), "a failed download leaves no folder in the cache");
    }

    [Fact]
    public void Interrupted_download_fails_and_leaves_no_cache_entry_then_a_later_download_succeeds()
    {
        using var dir = new TempDirectory();
        var (bytes, sha) = SmallWeightFile(dir);
        using var server = new LocalFileServer(bytes);
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache") });
        var cut = Entry(server.Url("cut"), sha);

        var ex = Assert.Throws<IOException>(() => downloader.Ensure(cut, null, TestContext.Current.CancellationToken));

        Assert.Contains(downloader.CachePath(cut), ex.Message);
        Assert.False(File.Exists(downloader.CachePath(cut)));
        Assert.False(Directory.Exists(dir.File("cache")), "a failed download leaves no folder in the cache");
        Assert.Equal(bytes, File.ReadAllBytes(downloader.Ensure(Entry(server.Url("file"), sha), null, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public void Offline_failure_says_which_file_to_place_where()
    {
        using var dir = new TempDirectory();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache") });
        var entry = Entry(new Uri($"http://127.0.0.1:{port}/model.safetensors"), new string('a', 64));

        var ex = Assert.Throws<IOException>(() => downloader.Ensure(entry, null, TestContext.Current.CancellationToken));

        Assert.Contains($"http://127.0.0.1:{port}/model.safetensors", ex.Message);
        Assert.Contains(downloader.CachePath(entry), ex.Message);
        Assert.Contains("place it at", ex.Message);
        Assert.Contains("MLNETEXT_CACHE", ex.Message);
        Assert.False(File.Exists(downloader.CachePath(entry)));
    }

    [Fact]
    public void Entry_without_published_hash_is_not_downloaded_unless_allowed()
    {
        using var dir = new TempDirectory();
        var (bytes, _) = SmallWeightFile(dir);
        using var server = new LocalFileServer(bytes);
        var entry = Entry(server.Url("file"), null);
        var strict = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache") });
        var lenient = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache"), AllowUnverifiedDownloads = true });

        var ex = Assert.Throws<InvalidOperationException>(() => strict.Ensure(entry, null, TestContext.Current.CancellationToken));
        string path = lenient.Ensure(entry, null, TestContext.Current.CancellationToken);

        Assert.Contains("no published SHA-256", ex.Message);
        Assert.Equal(0 + 1, server.Requests);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Corrupt_cached_file_is_replaced_by_a_fresh_download()
    {
        using var dir = new TempDirectory();
        var (bytes, sha) = SmallWeightFile(dir);
        using var server = new LocalFileServer(bytes);
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache") });
        var entry = Entry(server.Url("file"), sha);
        Directory.CreateDirectory(Path.GetDirectoryName(downloader.CachePath(entry))!);
        File.WriteAllBytes(downloader.CachePath(entry), bytes[..10]);

        string path = downloader.Ensure(entry, null, TestContext.Current.CancellationToken);

        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void Pretrained_backbone_downloads_and_loads_weights_with_a_new_head()
    {
        using var dir = new TempDirectory();
        var (bytes, sha) = SmallWeightFile(dir);
        using var server = new LocalFileServer(bytes);
        var entry = Entry(server.Url("file"), sha);

        var (network, report) = PretrainedBackbones.Create(entry, numClasses: 7,
            new WeightDownloaderOptions { CacheDirectory = dir.File("cache") });
        using (network)
        using (var source = SafeTensors.Load(dir.File("source.safetensors")))
        {
            Assert.Equal(7, network.NumClasses);
            Assert.Equal(new[] { "fc.weight", "fc.bias" }, report.ShapeMismatches.Select(m => m.Name));
            Assert.True(TensorEquality.Same(source["features.1.0.weight"], network.state_dict()["features.1.0.weight"]));
        }
    }

    [Fact]
    public void Cache_directory_comes_from_option_then_MLNETEXT_CACHE_then_XDG_then_home()
    {
        var both = new Dictionary<string, string?> { ["MLNETEXT_CACHE"] = "/tmp/from-env", ["XDG_CACHE_HOME"] = "/tmp/xdg" };
        var xdgOnly = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = "/tmp/xdg" };
        var none = new Dictionary<string, string?>();

        Assert.Equal("/tmp/explicit", new WeightDownloaderOptions { CacheDirectory = "/tmp/explicit" }.ResolveCacheDirectory(k => both.GetValueOrDefault(k)));
        Assert.Equal("/tmp/from-env", new WeightDownloaderOptions().ResolveCacheDirectory(k => both.GetValueOrDefault(k)));
        Assert.Equal("/tmp/xdg/mlnetext", new WeightDownloaderOptions().ResolveCacheDirectory(k => xdgOnly.GetValueOrDefault(k)));
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mlnetext"),
            new WeightDownloaderOptions().ResolveCacheDirectory(k => none.GetValueOrDefault(k)));
    }
}
