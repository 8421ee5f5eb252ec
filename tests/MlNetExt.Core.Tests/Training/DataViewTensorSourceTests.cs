using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Training;

public class DataViewTensorSourceTests
{
    private sealed class IdRow
    {
        public float Id { get; set; }

        [VectorType(3)]
        public double[] Values { get; set; } = [];
    }

    private static IDataView Ids(MLContext ml, int count) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new IdRow { Id = i, Values = [i, 2 * i, -i] }).ToList());

    private static List<float> OneEpoch(DataViewTensorSource source, int batchSize, bool shuffle, int seed)
    {
        var ids = new List<float>();
        foreach (var batch in source.GetBatches(batchSize, shuffle, seed))
        {
            using (batch)
            {
                Assert.Equal([batch.Count, 1L], batch["Id"].shape);
                Assert.Equal([batch.Count, 3L], batch["Values"].shape);
                Assert.Equal(ScalarType.Float32, batch["Values"].dtype);
                var id = batch["Id"].data<float>().ToArray();
                var values = batch["Values"].data<float>().ToArray();
                for (var i = 0; i < id.Length; i++)
                    Assert.Equal([id[i], 2 * id[i], -id[i]], values.Skip(3 * i).Take(3));   // columns stay aligned
                ids.AddRange(id);
            }
        }
        return ids;
    }

    [Theory]
    [InlineData(1L << 30, true)]
    [InlineData(64L, false)]
    public void Every_row_is_seen_exactly_once_per_epoch_in_a_seeded_shuffled_order(long maxInMemoryBytes, bool expectInMemory)
    {
        var ml = new MLContext(seed: 1);
        var source = DataViewTensorSource.Create(Ids(ml, 100), [new("Id"), new("Values")], maxInMemoryBytes, shuffleBufferSize: 16, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(expectInMemory, source.IsInMemory);
        Assert.Equal(100, source.RowCount);
        var epoch1 = OneEpoch(source, 7, shuffle: true, seed: 1);
        var epoch1Again = OneEpoch(source, 7, shuffle: true, seed: 1);
        var epoch2 = OneEpoch(source, 7, shuffle: true, seed: 2);
        var ordered = OneEpoch(source, 7, shuffle: false, seed: 1);

        var all = Enumerable.Range(0, 100).Select(i => (float)i).ToList();
        Assert.Equal(all, epoch1.Order());
        Assert.Equal(all, epoch2.Order());
        Assert.Equal(all, ordered);
        Assert.NotEqual(all, epoch1);
        Assert.Equal(epoch1, epoch1Again);
        Assert.NotEqual(epoch1, epoch2);
    }

    [Theory]
    [InlineData(1L << 30, true)]
    [InlineData(1L << 30, false)]
    [InlineData(64L, true)]
    [InlineData(64L, false)]
    public void A_last_batch_of_one_row_joins_the_batch_before_it(long maxInMemoryBytes, bool shuffle)
    {
        var ml = new MLContext(seed: 1);
        var source = DataViewTensorSource.Create(Ids(ml, 15), [new("Id")], maxInMemoryBytes, shuffleBufferSize: 4, cancellationToken: TestContext.Current.CancellationToken);

        var sizes = source.GetBatches(7, shuffle, seed: 3).Select(b => { using (b) return b.Count; }).ToArray();

        Assert.Equal([7L, 8L], sizes);
        Assert.Equal(2, source.BatchCount(7));
        Assert.Equal(15, source.BatchCount(1));
        Assert.Equal([5L, 5L, 5L], source.GetBatches(5, shuffle, seed: 3).Select(b => { using (b) return b.Count; }));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Modifying_a_batch_in_place_leaves_the_cached_data_unchanged(bool shuffle)
    {
        var ml = new MLContext(seed: 1);
        var source = DataViewTensorSource.Create(Ids(ml, 10), [new("Id")], cancellationToken: TestContext.Current.CancellationToken);

        foreach (var batch in source.GetBatches(4, shuffle, seed: 1))
            using (batch)
                batch["Id"].mul_(-1);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), OneEpochIds(source));
    }

    private static IEnumerable<float> OneEpochIds(DataViewTensorSource source) =>
        source.GetBatches(4, shuffle: false, seed: 0).SelectMany(b => { using (b) return b["Id"].data<float>().ToArray(); }).ToArray();

    [Fact]
    public void Dispose_releases_the_cache_and_later_use_fails()
    {
        var ml = new MLContext(seed: 1);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var source = DataViewTensorSource.Create(Ids(ml, 10), [new("Id"), new("Values")], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(before + 2, DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        source.Dispose();

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Throws<ObjectDisposedException>(() => source.GetBatches(4, shuffle: false, seed: 0));
    }

    [Fact]
    public void Unknown_row_count_that_does_not_fit_switches_to_streaming_and_counts_rows()
    {
        var ml = new MLContext(seed: 1);
        var filtered = ml.Data.FilterRowsByColumn(Ids(ml, 50), "Id", lowerBound: 10, upperBound: 1000);
        Assert.Null(filtered.GetRowCount());

        var streamed = DataViewTensorSource.Create(filtered, [new("Id")], maxInMemoryBytes: 40, cancellationToken: TestContext.Current.CancellationToken);
        var cached = DataViewTensorSource.Create(filtered, [new("Id")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(streamed.IsInMemory);
        Assert.True(cached.IsInMemory);
        Assert.Equal(40, streamed.RowCount);
        Assert.Equal(40, cached.RowCount);
        Assert.Null(streamed.GetAll());
        using var all = cached.GetAll()!;
        Assert.Equal(Enumerable.Range(10, 40).Select(i => (float)i), all["Id"].data<float>().ToArray());
    }

    [Fact]
    public void Training_works_when_data_stream_through_cursors()
    {
        var ml = new MLContext(seed: 2);
        var options = new NeuralTrainerOptions { Epochs = 25, BatchSize = 32, LearningRate = 0.05f, MaxInMemoryBytes = 256, ShuffleBufferSize = 64 };
        var loop = new NeuralTrainingLoop(ml, options, "stream");
        loop.SeedTorch();
        var model = nn.Linear(2, 1);
        var (train, _) = TrainingDataSplit.Create(ml, LinearRegressionData.Load(ml, 300), options, LinearRegressionData.Columns, loop.Seed);

        var result = loop.Train(model, train, null, b => LinearRegressionData.MeanSquaredError(model, b));

        Assert.False(train.IsInMemory);
        Assert.True(result.History[^1].TrainLoss < 2 * LinearRegressionData.NoiseStd * LinearRegressionData.NoiseStd,
            $"final loss {result.History[^1].TrainLoss}");
    }

    private sealed class AllTypesRow
    {
        public float F { get; set; }
        public double D { get; set; }
        public int I { get; set; }
        public uint U { get; set; }
        public long L { get; set; }
        public byte B { get; set; }
        public bool Flag { get; set; }

        [VectorType(2)]
        public int[] IntVector { get; set; } = [];

        [VectorType(2)]
        public bool[] BoolVector { get; set; } = [];

        public string Label { get; set; } = "";
    }

    [Fact]
    public void Numeric_scalars_vectors_and_keys_become_float32_and_int64_tensors()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new AllTypesRow { F = 1.5f, D = -2.25, I = -3, U = 4, L = 5_000_000_000, B = 255, Flag = true, IntVector = [1, -1], BoolVector = [true, false], Label = "cat" },
            new AllTypesRow { F = 0, D = 0.5, I = 7, U = 0, L = -1, B = 0, Flag = false, IntVector = [0, 9], BoolVector = [false, true], Label = "dog" },
        };
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        TensorColumnSpec[] specs =
        [
            new("F"), new("D"), new("I"), new("U"), new("L"), new("B"), new("Flag"), new("IntVector"), new("BoolVector"),
            new("Label", TensorColumnKind.KeyIndex),
        ];

        var source = DataViewTensorSource.Create(data, specs, cancellationToken: TestContext.Current.CancellationToken);
        using var all = source.GetAll()!;

        float[] Column(string name) => all[name].data<float>().ToArray();
        Assert.Equal([1.5f, 0f], Column("F"));
        Assert.Equal([-2.25f, 0.5f], Column("D"));
        Assert.Equal([-3f, 7f], Column("I"));
        Assert.Equal([4f, 0f], Column("U"));
        Assert.Equal([5e9f, -1f], Column("L"));
        Assert.Equal([255f, 0f], Column("B"));
        Assert.Equal([1f, 0f], Column("Flag"));
        Assert.Equal([1f, -1f, 0f, 9f], Column("IntVector"));
        Assert.Equal([1f, 0f, 0f, 1f], Column("BoolVector"));
        Assert.Equal(2, source.Width("IntVector"));
        Assert.Equal(ScalarType.Int64, all["Label"].dtype);
        Assert.Equal([2L], all["Label"].shape);
        Assert.Equal([0L, 1L], all["Label"].data<long>().ToArray());
    }

    private sealed class ValueRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private static IDataView Values(MLContext ml, params ValueRow[] rows) => ml.Data.LoadFromEnumerable(rows);

    [Theory]
    [InlineData(1L << 30)]
    [InlineData(8L)]
    public void NaN_feature_names_column_row_and_slot(long maxInMemoryBytes)
    {
        var ml = new MLContext(seed: 1);
        var data = Values(ml, new() { Features = [1, 2], Label = 1 }, new() { Features = [3, 4], Label = 2 }, new() { Features = [5, float.NaN], Label = 3 });

        var error = Assert.Throws<InvalidDataException>(() =>
        {
            var source = DataViewTensorSource.Create(data, [new("Features"), new("Label")], maxInMemoryBytes, cancellationToken: TestContext.Current.CancellationToken);
            foreach (var batch in source.GetBatches(2, shuffle: true, seed: 1))
                batch.Dispose();
        });

        Assert.Contains("'Features'", error.Message);
        Assert.Contains("row 2", error.Message);
        Assert.Contains("slot 1", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void Non_finite_values_are_kept_when_not_rejected()
    {
        var ml = new MLContext(seed: 1);
        var data = Values(ml, new ValueRow { Features = [1, float.PositiveInfinity], Label = 1 });

        using var all = DataViewTensorSource.Create(data, [new("Features") { RejectNonFinite = false }], cancellationToken: TestContext.Current.CancellationToken).GetAll()!;

        Assert.True(float.IsPositiveInfinity(all["Features"].data<float>()[1]));
    }

    [Fact]
    public void Validate_problem_is_reported_with_column_row_and_value()
    {
        var ml = new MLContext(seed: 1);
        var data = Values(ml, new() { Features = [1, 2], Label = 1 }, new() { Features = [3, 4], Label = -2 });
        var label = new TensorColumnSpec("Label") { Validate = v => v < 0 ? "is negative (counts must be >= 0)" : null };

        var error = Assert.Throws<InvalidDataException>(() => DataViewTensorSource.Create(data, [new("Features"), label], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("'Label'", error.Message);
        Assert.Contains("row 1", error.Message);
        Assert.Contains("found -2, which is negative", error.Message);
    }

    private sealed class VariableRow
    {
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void Variable_size_vector_row_of_the_wrong_size_names_column_row_and_sizes()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new VariableRow { Features = [1, 2, 3] }, new VariableRow { Features = [1, 2] } });

        var withoutWidth = Assert.Throws<ArgumentException>(() => DataViewTensorSource.Create(data, [new("Features")], cancellationToken: TestContext.Current.CancellationToken));
        var error = Assert.Throws<InvalidDataException>(() => DataViewTensorSource.Create(data, [new("Features") { ExpectedWidth = 3 }], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("'Features'", withoutWidth.Message);
        Assert.Contains("variable-size", withoutWidth.Message);
        Assert.Contains("row 1", error.Message);
        Assert.Contains("expected size 3", error.Message);
        Assert.Contains("found size 2", error.Message);
    }

    [Fact]
    public void Known_size_vector_of_another_width_is_a_schema_error()
    {
        var ml = new MLContext(seed: 1);
        var data = Values(ml, new ValueRow { Features = [1, 2], Label = 0 });

        var error = Assert.Throws<ArgumentException>(() => DataViewTensorSource.Create(data, [new("Features") { ExpectedWidth = 5 }], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("'Features'", error.Message);
        Assert.Contains("size 5", error.Message);
        Assert.Contains("size 2", error.Message);
    }

    [Fact]
    public void Missing_key_value_names_column_and_row()
    {
        var ml = new MLContext(seed: 1);
        var known = ml.Data.LoadFromEnumerable(new[] { new AllTypesRow { Label = "cat" }, new AllTypesRow { Label = "dog" } });
        var withUnknown = ml.Data.LoadFromEnumerable(new[] { new AllTypesRow { Label = "cat" }, new AllTypesRow { Label = "dog" }, new AllTypesRow { Label = "cow" } });
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(known).Transform(withUnknown);

        var error = Assert.Throws<InvalidDataException>(() => DataViewTensorSource.Create(data, [new("Label", TensorColumnKind.KeyIndex)], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("'Label'", error.Message);
        Assert.Contains("row 2", error.Message);
        Assert.Contains("missing key", error.Message);
    }

    [Fact]
    public void Schema_problems_name_the_column_and_what_was_found()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new AllTypesRow { Label = "cat" } });

        var missing = Assert.Throws<ArgumentException>(() => DataViewTensorSource.Create(data, [new("Nope")], cancellationToken: TestContext.Current.CancellationToken));
        var text = Assert.Throws<ArgumentException>(() => DataViewTensorSource.Create(data, [new("Label")], cancellationToken: TestContext.Current.CancellationToken));
        var notKey = Assert.Throws<ArgumentException>(() => DataViewTensorSource.Create(data, [new("F", TensorColumnKind.KeyIndex)], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("'Nope' was not found", missing.Message);
        Assert.Contains("'Label'", text.Message);
        Assert.Contains("String", text.Message);
        Assert.Contains("'F' must be a key column", notKey.Message);
        Assert.Contains("Single", notKey.Message);
    }

    [Theory]
    [InlineData(1L << 30)]
    [InlineData(0L)]
    public void Empty_data_is_rejected(long maxInMemoryBytes)
    {
        var ml = new MLContext(seed: 1);
        var data = Values(ml);

        var error = Assert.Throws<InvalidDataException>(() => DataViewTensorSource.Create(data, [new("Features"), new("Label")], maxInMemoryBytes, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("no rows", error.Message);
        Assert.Contains("'Features'", error.Message);
    }

    [Fact]
    public void Validation_fraction_splits_rows_between_train_and_validation_with_the_seed()
    {
        var ml = new MLContext(seed: 1);
        var options = new NeuralTrainerOptions { ValidationFraction = 0.3f };

        var (train, validation) = TrainingDataSplit.Create(ml, Ids(ml, 200), options, [new("Id")], seed: 11);
        var (train2, validation2) = TrainingDataSplit.Create(new MLContext(seed: 99), Ids(ml, 200), options, [new("Id")], seed: 11);

        using var t = train.GetAll()!;
        using var v = validation!.GetAll()!;
        using var v2 = validation2!.GetAll()!;
        var ids = t["Id"].data<float>().ToArray().Concat(v["Id"].data<float>().ToArray()).Order();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (float)i), ids);
        Assert.InRange(validation.RowCount!.Value, 30, 90);
        Assert.Equal(v["Id"].data<float>().ToArray(), v2["Id"].data<float>().ToArray());
    }

    [Fact]
    public void Validation_set_problems_say_they_come_from_the_validation_set()
    {
        var ml = new MLContext(seed: 1);
        var withoutLabel = ml.Data.LoadFromEnumerable(new[] { new IdRow { Id = 1, Values = [1, 2, 3] } });
        var options = new NeuralTrainerOptions { ValidationSet = withoutLabel, ValidationFraction = 0.5f };

        var error = Assert.Throws<ArgumentException>(() => TrainingDataSplit.Create(ml, LinearRegressionData.Load(ml, 20), options, LinearRegressionData.Columns, seed: 1));

        Assert.Contains("ValidationSet", error.Message);
        Assert.Contains("'Features' was not found", error.Message);
    }

    [Fact]
    public void Validation_set_wins_over_validation_fraction()
    {
        var ml = new MLContext(seed: 1);
        var options = new NeuralTrainerOptions { ValidationSet = LinearRegressionData.Load(ml, 7), ValidationFraction = 0.5f };

        var (train, validation) = TrainingDataSplit.Create(ml, LinearRegressionData.Load(ml, 20), options, LinearRegressionData.Columns, seed: 1);

        Assert.Equal(20, train.RowCount);
        Assert.Equal(7, validation!.RowCount);
    }
}
