using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Spikes;
using Xunit;

namespace MlNetExt.Regression.Tests.Spikes;

public class BinSpikesTests
{
    public sealed class Spike { public int Neuron { get; set; } public double Time { get; set; } }
    public sealed class Sample { public double Time { get; set; } public float Speed { get; set; } public double Lean { get; set; } }

    private static float[][] Column(IDataView view, string name)
        => view.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray()).ToArray();

    private static IDataView Covariates(MLContext ml, int samples, double dt)
        => ml.Data.LoadFromEnumerable(Enumerable.Range(0, samples).Select(i => new Sample { Time = i * dt, Speed = i, Lean = -i }));

    [Fact]
    public void Counts_and_averages_land_in_the_right_bins()
    {
        var ml = new MLContext(1);
        // Covariates every 0.01 s for 0.2 s: bins of 0.05 s hold 5 samples each, 4 bins in all.
        var covariates = Covariates(ml, 20, 0.01);
        var spikes = ml.Data.LoadFromEnumerable(new[]
        {
            new Spike { Neuron = 0, Time = 0.0 }, new Spike { Neuron = 2, Time = 0.049 }, new Spike { Neuron = 0, Time = 0.051 },
            new Spike { Neuron = 0, Time = 0.06 }, new Spike { Neuron = 1, Time = 0.19 }, new Spike { Neuron = 1, Time = 5.0 },
        });

        var bins = ml.Data.BinSpikes(spikes, covariates, binSeconds: 0.05, neuronCount: 3);

        Assert.Equal(new[] { 0.0, 0.05, 0.1, 0.15 }, bins.GetColumn<double>("Time").ToArray(), new ToleranceComparer(1e-12));
        var counts = Column(bins, "Counts");
        Assert.Equal(new float[] { 1, 0, 1 }, counts[0]);
        Assert.Equal(new float[] { 2, 0, 0 }, counts[1]);
        Assert.Equal(new float[] { 0, 0, 0 }, counts[2]);
        Assert.Equal(new float[] { 0, 1, 0 }, counts[3]);   // the spike at 5 s is outside the covariates' span
        var covs = Column(bins, "Covariates");
        Assert.Equal(new float[] { 2, -2 }, covs[0]);        // mean of samples 0..4
        Assert.Equal(new float[] { 17, -17 }, covs[3]);
        Assert.Equal(Column(bins, "Covariates")[1], Column(bins, "Features")[1]);
        Assert.False(bins.Schema.GetColumnOrNull("History").HasValue);
    }

    [Fact]
    public void History_holds_previous_bins_lag_one_first_and_features_concatenate()
    {
        var ml = new MLContext(1);
        var bins = ml.Data.BinSpikes(ml.Data.LoadFromEnumerable(new[] { new Spike { Neuron = 0, Time = 0.12 } }), Covariates(ml, 20, 0.01),
            binSeconds: 0.05, historyBins: 2);

        // The first 2 bins lack a full history and are left out.
        Assert.Equal(new[] { 0.1, 0.15 }, bins.GetColumn<double>("Time").ToArray(), new ToleranceComparer(1e-12));
        Assert.Equal(new float[] { 1 }, Column(bins, "Counts")[0]);
        Assert.Equal(new float[] { 7, -7, 2, -2 }, Column(bins, "History")[0]);
        Assert.Equal(new float[] { 12, -12, 7, -7, 2, -2 }, Column(bins, "Features")[0]);
        VBuffer<ReadOnlyMemory<char>> names = default;
        bins.Schema["Features"].GetSlotNames(ref names);
        Assert.Equal(new[] { "Speed", "Lean", "Speed@-1", "Lean@-1", "Speed@-2", "Lean@-2" }, names.DenseValues().Select(n => n.ToString()));
    }

    [Fact]
    public void Slowly_sampled_covariates_are_interpolated_at_bin_centres()
    {
        var ml = new MLContext(1);
        // One sample per 0.2 s: bins of 0.05 s in between get linear interpolation.
        var bins = ml.Data.BinSpikes(ml.Data.LoadFromEnumerable(new[] { new Spike { Neuron = 0, Time = 0.0 } }), Covariates(ml, 3, 0.2), binSeconds: 0.05);
        var covs = Column(bins, "Covariates");
        Assert.Equal(9, covs.Length);
        Assert.Equal(0f, covs[0][0]);                 // bin 0 holds sample 0
        Assert.Equal(0.375f, covs[1][0], 5);          // centre 0.075 s -> 0.375 between samples 0 (0 s) and 1 (0.2 s)
        Assert.Equal(1f, covs[4][0]);                 // bin 4 holds sample 1
    }

    [Fact]
    public void Neuron_count_is_inferred_from_the_largest_id_and_key_columns_are_one_based()
    {
        var ml = new MLContext(1);
        var spikes = ml.Data.LoadFromEnumerable(new[] { new Spike { Neuron = 4, Time = 0.01 } });
        Assert.Equal(5, Column(ml.Data.BinSpikes(spikes, Covariates(ml, 10, 0.01)), "Counts")[0].Length);

        var keyed = ml.Transforms.Conversion.MapValueToKey("Neuron").Fit(
            ml.Data.LoadFromEnumerable(new[] { new Spike { Neuron = 7, Time = 0.01 }, new Spike { Neuron = 3, Time = 0.02 } }))
            .Transform(ml.Data.LoadFromEnumerable(new[] { new Spike { Neuron = 3, Time = 0.01 }, new Spike { Neuron = 3, Time = 0.02 } }));
        Assert.Equal(new float[] { 0, 2 }, Column(ml.Data.BinSpikes(keyed, Covariates(ml, 10, 0.01)), "Counts")[0]);
    }

    [Theory]
    [InlineData(0.03, 0.02, 0, "Spike time column 'Time' is not sorted ascending: row 1")]
    [InlineData(-0.01, 0.02, 0, "Spike time column 'Time' has a negative time (-0.01 s) at row 0")]
    [InlineData(double.NaN, 0.02, 0, "Spike time column 'Time' has a non-finite value (NaN) at row 0")]
    [InlineData(0.01, 0.02, 9, "Neuron column 'Neuron' has an id out of range at row 1: expected 0..2, found 9")]
    public void Bad_spikes_fail_naming_column_and_first_offending_row(double t0, double t1, int neuron1, string expected)
    {
        var ml = new MLContext(1);
        var spikes = ml.Data.LoadFromEnumerable(new[] { new Spike { Neuron = 0, Time = t0 }, new Spike { Neuron = neuron1, Time = t1 }, new Spike { Neuron = 1, Time = 0.001 } });
        var e = Assert.Throws<InvalidDataException>(() => ml.Data.BinSpikes(spikes, Covariates(ml, 10, 0.01), neuronCount: 3));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Missing_column_and_nan_covariates_fail_clearly()
    {
        var ml = new MLContext(1);
        var spikes = ml.Data.LoadFromEnumerable(new[] { new Spike { Neuron = 0, Time = 0.0 } });
        var e = Assert.Throws<ArgumentException>(() => ml.Data.BinSpikes(spikes, Covariates(ml, 10, 0.01), neuronColumnName: "Unit"));
        Assert.Contains("'Unit'", e.Message);
        var nan = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(i => new Sample { Time = i * 0.01, Speed = i == 3 ? float.NaN : i }));
        var e2 = Assert.Throws<InvalidDataException>(() => ml.Data.BinSpikes(spikes, nan));
        Assert.Contains("Covariate column 'Speed' has a non-finite value (NaN) at row 3", e2.Message);
    }

    [Fact]
    public void A_million_spikes_bin_correctly()
    {
        var ml = new MLContext(1);
        const int neurons = 40, spikeCount = 1_000_000;
        const double duration = 600, bin = 0.05;
        var rng = new Random(7);
        var times = new double[spikeCount];
        for (int i = 0; i < spikeCount; i++) times[i] = rng.NextDouble() * duration;
        Array.Sort(times);
        var ids = new int[spikeCount];
        var expected = new float[(int)(duration / bin), neurons];
        for (int i = 0; i < spikeCount; i++)
        {
            ids[i] = rng.Next(neurons);
            expected[(int)(times[i] / bin), ids[i]]++;
        }
        var spikes = ml.Data.LoadFromEnumerable(Enumerable.Range(0, spikeCount).Select(i => new Spike { Neuron = ids[i], Time = times[i] }));
        var covariates = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 60_000).Select(i => new Sample { Time = i * 0.01, Speed = i % 100 }));

        var counts = Column(ml.Data.BinSpikes(spikes, covariates, bin, neuronCount: neurons), "Counts");

        Assert.Equal(12_000, counts.Length);
        double total = 0;
        for (int b = 0; b < counts.Length; b++)
            for (int n = 0; n < neurons; n++) { Assert.Equal(expected[b, n], counts[b][n]); total += counts[b][n]; }
        Assert.Equal(spikeCount, total);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
