using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;
using MlNetExt.Vision.Weights;
using Xunit;

namespace MlNetExt.Vision.Tests.Catalog;

public sealed class PretrainedCatalogTests
{
    [Fact]
    public void Every_entry_names_a_registered_architecture_a_licence_and_a_well_formed_hash_or_none()
    {
        foreach (var entry in PretrainedCatalog.Entries)
        {
            Assert.True(BackboneRegistry.Contains(entry.Architecture), entry.Id);
            Assert.False(string.IsNullOrWhiteSpace(entry.License), entry.Id);
            Assert.True(entry.IsShipped || entry.Url is not null, entry.Id);
            if (entry.Sha256 is not null)
            {
                Assert.Matches("^[0-9a-f]{64}$", entry.Sha256);
            }
        }

        Assert.Equal(PretrainedCatalog.Entries.Count, PretrainedCatalog.Entries.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void Unverified_entries_are_marked_and_refused_without_touching_the_network()
    {
        using var dir = new TempDirectory();
        var downloader = new WeightDownloader(new WeightDownloaderOptions { CacheDirectory = dir.Path });

        var resnet34 = PretrainedCatalog.Get("resnet34.imagenet");
        var mobilenet = PretrainedCatalog.Get("mobilenet_v2.imagenet");

        Assert.False(resnet34.IsVerified);
        Assert.Throws<InvalidOperationException>(() => downloader.Ensure(resnet34, null, TestContext.Current.CancellationToken));
        var ex = Assert.Throws<InvalidOperationException>(() => downloader.Ensure(mobilenet, null, TestContext.Current.CancellationToken));
        Assert.False(mobilenet.IsVerified);
        Assert.Contains("no published SHA-256", ex.Message);
        Assert.Contains(downloader.CachePath(mobilenet), ex.Message);
    }

    [Fact]
    public void Unknown_id_lists_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => PretrainedCatalog.Get("resnet101.imagenet"));

        Assert.Contains("resnet18.imagenet", ex.Message);
    }

    [Fact]
    public void Shipped_block10_weights_load_strictly_into_the_keras_compatible_truncated_network()
    {
        var entry = PretrainedCatalog.MobileNetV2ImageNetBlock10;
        string path = new WeightDownloader().Ensure(entry, null, TestContext.Current.CancellationToken);
        using var network = BackboneRegistry.Create(entry.Architecture, entry.CreateOptions());

        var report = network.LoadWeights(path, new WeightLoadOptions { Strict = true });

        Assert.Equal(96, network.FeatureDimension);
        Assert.True(report.IsExactMatch, report.Describe());
        Assert.Equal(33, report.IgnoredMissingKeys.Count); // 33 BatchNorms: stem, 2 in block 0, 3 in each of blocks 1..10
        Assert.Equal(165, report.LoadedKeys.Count);
    }
}
