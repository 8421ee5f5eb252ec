using System.Collections;
using System.Diagnostics;
using Microsoft.ML;
using MlNetExt.Vision.Classification;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

[Collection(nameof(ImageClassifierCollection))]
public sealed class FrozenCancellationTests
{
    /// <summary>Rows that cancel a token (and start a clock) the first time they have all been read.</summary>
    private sealed class CancelWhenRead(IReadOnlyList<FashionData.PixelRow> rows, CancellationTokenSource source, Stopwatch clock)
        : IEnumerable<FashionData.PixelRow>
    {
        public IEnumerator<FashionData.PixelRow> GetEnumerator()
        {
            foreach (var row in rows)
                yield return row;
            if (!source.IsCancellationRequested)
            {
                clock.Start();
                source.Cancel();
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void Cancelling_while_frozen_features_are_cached_stops_within_a_batch()
    {
        // 600 images resized to 224 px inside the network: caching their MobileNetV2 features takes well over ten
        // seconds on two cores, so a Fit that ignores the token while caching returns long after the cancellation.
        var ml = new MLContext(7);
        var rows = FashionData.Rows(train: true, 200, 0, 1, 8)
            .Select(r => new FashionData.PixelRow { Pixels = r.Pixels.Select(b => (float)b).ToArray(), Label = r.Label }).ToList();
        using var cancellation = new CancellationTokenSource();
        var sinceCancel = new Stopwatch();
        var data = ml.Data.LoadFromEnumerable(new CancelWhenRead(rows, cancellation, sinceCancel));
        data = FashionData.LabelToKey(ml, ml.Data.LoadFromEnumerable(rows)).Transform(data);
        var trainer = ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", Strategy = TransferStrategy.Frozen, ImageSize = 224, Epochs = 1, Seed = 7,
            CancellationToken = cancellation.Token,
        });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(data));

        TestContext.Current.TestOutputHelper?.WriteLine($"Fit returned {sinceCancel.Elapsed.TotalSeconds:F2} s after the cancellation");
        Assert.True(sinceCancel.IsRunning, "the token was never cancelled: the data was not read");
        Assert.True(sinceCancel.Elapsed < TimeSpan.FromSeconds(3), $"Fit returned {sinceCancel.Elapsed.TotalSeconds:F1} s after the cancellation");
    }
}
