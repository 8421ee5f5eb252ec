using System.Diagnostics;
using System.Security.Cryptography;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;
using Xunit;

namespace MlNetExt.Vision.Tests.Catalog;

/// <summary>Hostile catalog entries, stalled servers, unwritable caches and concurrent callers.</summary>
public sealed class WeightDownloaderFaultTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7 + 3)).ToArray();
    private static readonly string PayloadSha = Convert.ToHexStringLower(SHA256.HashData(Payload));

    private static PretrainedWeights Entry(Uri url, string id = "test.small", string fileName = "small.safetensors") =>
        new(id, "small_cnn", fileName, () => new SmallCnnOptions()) { Url = url, Sha256 = PayloadSha };

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData("sub/dir")]
    [InlineData("sub\\dir")]
    [InlineData("/etc")]
    [InlineData("C:drive")]
    [InlineData("")]
    public void Entry_whose_id_could_leave_the_cache_is_rejected(string id)
    {
        var ex = Assert.Throws<ArgumentException>(() => Entry(new Uri("http://127.0.0.1:9/x"), id: id));

        Assert.Equal("id", ex.ParamName);
        Assert.Contains($"'{id}'", ex.Message);
    }

    [Theory]
    [InlineData("../../w.safetensors")]
    [InlineData("/tmp/w.safetensors")]
    [InlineData("nested/w.safetensors")]
    [InlineData("..\\w.safetensors")]
    [InlineData("C:w.safetensors")]
    [InlineData(" ")]
    public void Entry_whose_file_name_could_leave_the_cache_is_rejected(string fileName)
    {
        var ex = Assert.Throws<ArgumentException>(() => Entry(new Uri("http://127.0.0.1:9/x"), fileName: fileName));

        Assert.Equal("fileName", ex.ParamName);
        Assert.Contains($"'{fileName}'", ex.Message);
    }

    [Fact]
    public void Download_that_stalls_after_the_headers_fails_within_the_timeout_and_leaves_nothing()
    {
        using var dir = new TempDirectory();
        using var server = new LocalFileServer(Payload);
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache"), Timeout = TimeSpan.FromSeconds(1) });
        var entry = Entry(server.Url("stall"));
        var clock = Stopwatch.StartNew();

        var ex = Assert.Throws<IOException>(() => downloader.Ensure(entry, null, TestContext.Current.CancellationToken));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Contains("timeout", ex.Message);
        Assert.Contains(downloader.CachePath(entry), ex.Message);
        Assert.False(Directory.Exists(dir.File("cache")), "nothing may be left in the cache");
    }

    [Fact]
    public void Cancelling_a_stalled_download_throws_OperationCanceled_and_leaves_nothing()
    {
        using var dir = new TempDirectory();
        using var server = new LocalFileServer(Payload);
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache") });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => downloader.Ensure(Entry(server.Url("stall")), null, cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.False(Directory.Exists(dir.File("cache")), "nothing may be left in the cache");
    }

    [Fact]
    public void Unwritable_cache_gives_the_usual_IOException_and_creates_nothing()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "uses /sys, where nobody (not even root) can create a folder");
        using var server = new LocalFileServer(Payload);
        string cache = "/sys/mlnetext-cache-" + Guid.NewGuid().ToString("N");
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = cache });
        var entry = Entry(server.Url("file"));

        var ex = Assert.Throws<IOException>(() => downloader.Ensure(entry, null, TestContext.Current.CancellationToken));

        Assert.Contains("Place the file at", ex.Message);
        Assert.Contains(downloader.CachePath(entry), ex.Message);
        Assert.IsType<UnauthorizedAccessException>(ex.InnerException);
        Assert.False(Directory.Exists(cache));
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public void A_file_name_of_255_characters_downloads()
    {
        using var dir = new TempDirectory();
        using var server = new LocalFileServer(Payload);
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache") });
        var entry = Entry(server.Url("file"), fileName: new string('w', 243) + ".safetensors");

        string path = downloader.Ensure(entry, null, TestContext.Current.CancellationToken);

        Assert.Equal(255, Path.GetFileName(path).Length);
        Assert.Equal(Payload, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Eight_concurrent_Ensure_calls_download_the_file_once()
    {
        using var dir = new TempDirectory();
        using var server = new LocalFileServer(Payload);
        var entry = Entry(server.Url("slow"));
        var options = new WeightDownloaderOptions { CacheDirectory = dir.File("cache") };
        using var start = new Barrier(8);

        var paths = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TestContext.Current.CancellationToken);
            return new WeightDownloader(options).Ensure(entry, null, TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken)).ToArray();
        string[] results = await Task.WhenAll(paths);

        Assert.Equal(1, server.Requests);
        Assert.Single(results.Distinct());
        Assert.Equal(Payload, File.ReadAllBytes(results[0]));
        Assert.Equal(new[] { results[0] }, Directory.GetFiles(Path.GetDirectoryName(results[0])!));
    }

    [Fact]
    public async Task A_download_held_by_another_process_is_awaited_and_its_file_used()
    {
        using var dir = new TempDirectory();
        using var server = new LocalFileServer(Payload);
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.File("cache") });
        var entry = Entry(server.Url("file"));
        string target = downloader.CachePath(entry);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // What another process's downloader holds while it downloads: the exclusively opened lock file.
        var foreignLock = new FileStream(Path.Combine(Path.GetDirectoryName(target)!, ".download.lock"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);

        var waiting = Task.Run(() => downloader.Ensure(entry, null, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        await Task.Delay(400, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted, "Ensure must wait while another process downloads");
        File.WriteAllBytes(target, Payload);
        foreignLock.Dispose();

        Assert.Equal(target, await waiting);
        Assert.Equal(0, server.Requests);
        Assert.Equal(new[] { target }, Directory.GetFiles(Path.GetDirectoryName(target)!));
    }
}
