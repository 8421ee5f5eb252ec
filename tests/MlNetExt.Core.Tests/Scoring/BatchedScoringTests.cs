using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Tests.Models;
using MlNetExt.Core.Training;
using Xunit;

namespace MlNetExt.Core.Tests.Scoring;

/// <summary>OnnxModelTransformer.Transform: batched scoring through ONNX Runtime, identical to the chain's row-by-row scores.</summary>
public sealed class BatchedScoringTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-scoring-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class Row
    {
        [VectorType(2)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
        public string Name { get; set; } = "";
    }

    private static IDataView Data(MLContext ml, int rows) => ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows)
        .Select(i => new Row { Features = [i * 0.5f, MathF.Sin(i)], Label = i, Name = $"row {i}" }).ToArray());

    private static float[][] Vectors(IDataView data, string column)
        => data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Rows_are_scored_in_batches_of_ScoringBatchSize_in_order(int batchSize)
    {
        var ml = new MLContext(1);
        var data = Data(ml, 150);
        var model = BatchProbeModel.Create(ml, data.Schema);
        model.ScoringBatchSize = batchSize;

        var scored = model.Transform(data);

        var expectedSizes = Enumerable.Range(0, 150).Select(i => (float)Math.Min(batchSize, 150 - i / batchSize * batchSize));
        Assert.Equal(expectedSizes, scored.GetColumn<float>("BatchSize"));
        Assert.Equal(Vectors(model.Model.Transform(data), "Output"), Vectors(scored, "Output"));
        Assert.All(model.Model.Transform(data).GetColumn<float>("BatchSize"), size => Assert.Equal(1f, size));
    }

    [Fact]
    public void Transform_has_the_chains_schema_and_values_with_pass_through_columns_in_step()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 130);
        var model = ScaleModel.Create(ml, data.Schema, 2, 2.5f, TrainingHistory.Empty);

        var batched = model.Transform(data);
        var rowByRow = model.Model.Transform(data);

        Assert.Equal(rowByRow.Schema.Select(c => (c.Name, c.Type, c.IsHidden)), batched.Schema.Select(c => (c.Name, c.Type, c.IsHidden)));
        Assert.Equal(Vectors(rowByRow, "Output"), Vectors(batched, "Output"));
        using var cursor = batched.GetRowCursor(batched.Schema);
        var output = cursor.GetGetter<VBuffer<float>>(batched.Schema["Output"]);
        var label = cursor.GetGetter<float>(batched.Schema["Label"]);
        var name = cursor.GetGetter<ReadOnlyMemory<char>>(batched.Schema["Name"]);
        var id = cursor.GetIdGetter();
        int row = 0;
        VBuffer<float> o = default;
        float l = 0;
        ReadOnlyMemory<char> n = default;
        DataViewRowId rowId = default;
        while (cursor.MoveNext())
        {
            output(ref o);
            label(ref l);
            name(ref n);
            id(ref rowId);
            Assert.Equal(row, cursor.Position);
            Assert.Equal(row, l);
            Assert.Equal($"row {row}", n.ToString());
            Assert.Equal(2.5f * row * 0.5f, o.GetValues()[0]);
            Assert.Equal((ulong)row, rowId.Low);
            row++;
        }
        Assert.Equal(130, row);
    }

    [Fact]
    public void Cursor_sets_of_a_cached_view_give_every_row_once_with_its_score()
    {
        var ml = new MLContext(1);
        var data = ml.Data.Cache(Data(ml, 500));
        var model = ScaleModel.Create(ml, data.Schema, 2, -1f, TrainingHistory.Empty);
        model.ScoringBatchSize = 16;
        var scored = model.Transform(data);

        var cursors = scored.GetRowCursorSet([scored.Schema["Output"]], 4);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<ulong, float>();
        Parallel.ForEach(cursors, cursor =>
        {
            using (cursor)
            {
                var output = cursor.GetGetter<VBuffer<float>>(scored.Schema["Output"]);
                var id = cursor.GetIdGetter();
                VBuffer<float> o = default;
                DataViewRowId rowId = default;
                while (cursor.MoveNext())
                {
                    output(ref o);
                    id(ref rowId);
                    Assert.True(seen.TryAdd(rowId.Low, o.GetValues()[0]));
                }
            }
        });

        Assert.Equal(500, seen.Count);
        Assert.All(seen, pair => Assert.Equal(-(pair.Key * 0.5f), pair.Value));
    }

    [Fact]
    public void Caching_the_scored_view_keeps_every_score_with_its_row_in_order()
    {
        var ml = new MLContext(1);
        var data = ml.Data.Cache(Data(ml, 3000));
        var model = ScaleModel.Create(ml, data.Schema, 2, 2f, TrainingHistory.Empty);
        model.ScoringBatchSize = 50;

        // The cache fills one column at a time through ML.NET's consolidating cursor over a cursor set.
        var cached = ml.Data.Cache(model.Transform(data));
        var outputs = Vectors(cached, "Output").Select(v => v[0]).ToArray();
        var labels = cached.GetColumn<float>("Label").ToArray();

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (float)i), labels);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => i * 0.5f * 2f), outputs);
    }

    [Fact]
    public void Several_threads_scoring_one_model_at_once_get_the_same_scores()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 300);
        var model = ScaleModel.Create(ml, data.Schema, 2, 3f, TrainingHistory.Empty);
        var expected = Vectors(model.Model.Transform(data), "Output");

        var results = new float[8][][];
        Parallel.For(0, results.Length, i => results[i] = Vectors(model.Transform(data), "Output"));

        Assert.All(results, result => Assert.Equal(expected, result));
    }

    [Fact]
    public void Sparse_input_vectors_are_scored_as_their_dense_values()
    {
        var ml = new MLContext(1);
        var dense = Data(ml, 20);
        var sparse = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new SparseRow
        {
            Features = new VBuffer<float>(2, i % 2 == 0 ? 1 : 0, i % 2 == 0 ? [i * 0.5f] : [], i % 2 == 0 ? [0] : []),
        }), SparseRow.Definition());
        var model = ScaleModel.Create(ml, dense.Schema, 2, 2f, TrainingHistory.Empty);

        var scores = Vectors(model.Transform(sparse), "Output");

        Assert.Equal(Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? new[] { i * 1f, 0f } : new[] { 0f, 0f }), scores);
    }

    [Fact]
    public void A_model_restored_by_DeepLearning_Load_scores_in_batches_and_plain_Load_row_by_row()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 100);
        var model = BatchProbeModel.Create(ml, data.Schema);
        string path = Path.Combine(_folder, "probe.zip");
        ml.DeepLearning().Model.Save(model, data.Schema, path);

        var restored = Assert.IsType<BatchProbeModel>(ml.DeepLearning().Model.Load(path, out _));
        var plain = ml.Model.Load(path, out _);

        Assert.Equal(64f, restored.Transform(data).GetColumn<float>("BatchSize").First());
        Assert.All(plain.Transform(data).GetColumn<float>("BatchSize"), size => Assert.Equal(1f, size));
        Assert.Equal(Vectors(plain.Transform(data), "Output"), Vectors(restored.Transform(data), "Output"));
    }

    [Fact]
    public void A_model_inside_a_pipeline_scores_in_batches_when_the_pipeline_transforms()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 40);
        var copy = ml.Transforms.CopyColumns("Copied", "Label").Fit(data);
        var model = BatchProbeModel.Create(ml, copy.GetOutputSchema(data.Schema));
        model.ScoringBatchSize = 32;
        var pipeline = new TransformerChain<ITransformer>(copy, model);

        var scored = pipeline.Transform(data);

        Assert.Equal(Enumerable.Repeat(32f, 32).Concat(Enumerable.Repeat(8f, 8)), scored.GetColumn<float>("BatchSize"));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (float)i), scored.GetColumn<float>("Copied"));
    }

    [Fact]
    public void A_PredictionEngine_over_the_model_scores_one_row_as_the_chain_does()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 5);
        var model = ScaleModel.Create(ml, data.Schema, 2, 4f, TrainingHistory.Empty);

        using var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        var prediction = engine.Predict(new Row { Features = [1.5f, -2f] });

        Assert.Equal([6f, -8f], prediction.Output);
    }

    [Fact]
    public void Scoring_batch_size_below_one_is_rejected_and_a_disposed_model_does_not_score()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 5);
        var model = ScaleModel.Create(ml, data.Schema, 2, 4f, TrainingHistory.Empty);

        Assert.Throws<ArgumentOutOfRangeException>(() => model.ScoringBatchSize = 0);
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Transform(data));
    }

    private sealed class Prediction
    {
        [VectorType(2)] public float[] Output { get; set; } = [];
    }

    private sealed class SparseRow
    {
        public VBuffer<float> Features { get; set; }

        public static SchemaDefinition Definition()
        {
            var definition = SchemaDefinition.Create(typeof(SparseRow));
            definition[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
            return definition;
        }
    }
}
