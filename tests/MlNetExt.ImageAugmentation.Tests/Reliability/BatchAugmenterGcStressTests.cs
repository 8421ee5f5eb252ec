using MlNetExt.Tests.Shared;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.ImageAugmentation.Tests.Reliability;

/// <summary>The batched augmenter under forced garbage collection: every operation (RGB and gray, normalised input,
/// class-dependent policies), no crash and no TorchSharp Scalar left to the finalizer.</summary>
[Collection(nameof(GcStressCollection))]
[Trait("Category", "GcStress")]
public class BatchAugmenterGcStressTests(ITestOutputHelper output)
{
    [Fact]
    public void Augmenting_many_batches_survives_forced_collections()
    {
        var policies = new ClassAugmentationPolicy(AugmentationPolicy.Strong).WithOverride("1", AugmentationPolicy.RandAugment(3, 12));
        var report = GcStress.Run(fits: 3, run =>
        {
            long channels = run == 1 ? 1 : 3;
            var augmenter = run == 2
                ? new BatchAugmenter(AugmentationPolicy.Default, run, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f])
                : new BatchAugmenter(policies, null, run);
            using var generator = new Generator((ulong)run);
            for (int batch = 0; batch < 40; batch++)
            {
                using var scope = NewDisposeScope();
                var images = rand(new[] { 8L, channels, 24, 24 }, generator: generator);
                var labels = tensor(Enumerable.Range(0, 8).Select(i => (long)(i % 2)).ToArray());
                var augmented = augmenter.Apply(images, epoch: batch / 10, labels);
                Assert.Equal(images.shape, augmented.shape);
            }
        });
        output.WriteLine(report.ToString());
        Assert.Equal(0, report.FinalizedScalars);
    }
}
