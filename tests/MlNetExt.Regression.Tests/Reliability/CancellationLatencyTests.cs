using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Counts;
using Xunit;

namespace MlNetExt.Regression.Tests.Reliability;

/// <summary>A cancelled token stops a count model's Fit while its 2 million training rows are still being read.</summary>
public class CancellationLatencyTests(ITestOutputHelper output)
{
    private sealed class Row
    {
        [VectorType(3)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    [Fact]
    public void An_already_cancelled_token_stops_Fit_before_the_rows_are_read()
    {
        var ml = new MLContext(1);
        long produced = 0;
        IEnumerable<Row> Rows()
        {
            for (int i = 0; i < 2_000_000; i++)
            {
                produced++;
                yield return new Row { Features = [i % 3, i % 5, i % 7], Label = i % 4 };
            }
        }
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var options = new NeuralPoissonOptions { Epochs = 1, HiddenLayers = [4], CancellationToken = cancelled.Token };

        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => new NeuralPoissonTrainer(ml, options).Fit(ml.Data.LoadFromEnumerable(Rows())));

        output.WriteLine($"cancelled Fit returned after {clock.Elapsed.TotalMilliseconds:F0} ms and {produced} rows read");
        Assert.True(produced <= 1, $"{produced} rows were read after cancellation");
    }
}
