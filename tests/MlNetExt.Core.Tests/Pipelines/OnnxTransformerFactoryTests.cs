using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Pipelines;

public class OnnxTransformerFactoryTests
{
    private const int FeatureCount = 5;

    private sealed class Row
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];
    }

    private static Row[] RandomRows(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => new Row { Features = Enumerable.Range(0, FeatureCount).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray() })
            .ToArray();
    }

    private static float[][] TorchOutputs(nn.Module module, Row[] rows)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        module.eval();
        var input = torch.tensor(rows.SelectMany(r => r.Features).ToArray(), [rows.Length, FeatureCount]);
        var output = ((nn.Module<Tensor, Tensor>)module).call(input);
        var values = output.data<float>().ToArray();
        long width = output.shape[1];
        return Enumerable.Range(0, rows.Length).Select(i => values.Skip(i * (int)width).Take((int)width).ToArray()).ToArray();
    }

    private static float[][] ColumnValues(IDataView data, string column)
        => data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    [Fact]
    public void ApplyOnnx_on_exported_mlp_matches_TorchSharp_and_has_vector_output()
    {
        var ml = new MLContext(seed: 1);
        using var mlp = nn.Sequential(nn.Linear(FeatureCount, 16), nn.Tanh(), nn.Linear(16, 3));
        byte[] onnx = OnnxModuleExporter.Export(mlp, [FeatureCount], inputName: "Features", outputName: "Output");
        var rows = RandomRows(23, seed: 4);
        var data = ml.Data.LoadFromEnumerable(rows);

        var transformer = OnnxTransformerFactory.Create(ml, onnx, ["Output"], ["Features"], data.Schema);
        var scored = transformer.Transform(data);

        var type = Assert.IsType<VectorDataViewType>(scored.Schema["Output"].Type);
        Assert.Equal(NumberDataViewType.Single, type.ItemType);
        Assert.Equal(3, type.Size);
        Assert.Equal([1, 3], type.Dimensions.ToArray());   // ML.NET keeps the batch axis (as 1)
        var expected = TorchOutputs(mlp, rows);
        var actual = ColumnValues(scored, "Output");
        float maxAbs = expected.SelectMany(v => v).Max(Math.Abs);
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < 3; j++)
                Assert.True(Math.Abs(expected[i][j] - actual[i][j]) <= 1e-5 * maxAbs, $"row {i} slot {j}: {expected[i][j]} vs {actual[i][j]}");
    }

    [Fact]
    public void Saved_and_loaded_onnx_transformer_gives_identical_scores()
    {
        var ml = new MLContext(seed: 1);
        using var mlp = nn.Sequential(nn.Linear(FeatureCount, 8), nn.ReLU(), nn.Linear(8, 2));
        byte[] onnx = OnnxModuleExporter.Export(mlp, [FeatureCount], inputName: "Features", outputName: "Output");
        var data = ml.Data.LoadFromEnumerable(RandomRows(11, seed: 5));
        var transformer = OnnxTransformerFactory.Create(ml, onnx, ["Output"], ["Features"], data.Schema);
        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-onnx-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(transformer, data.Schema, path);
            var loaded = new MLContext(seed: 2).Model.Load(path, out var loadedSchema);

            Assert.Equal(FeatureCount, ((VectorDataViewType)loadedSchema["Features"].Type).Size);
            var before = ColumnValues(transformer.Transform(data), "Output");
            var after = ColumnValues(loaded.Transform(data), "Output");
            Assert.Equal(before.Length, after.Length);
            for (int i = 0; i < before.Length; i++)
                Assert.Equal(before[i], after[i]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Onnx_output_of_rank_one_becomes_a_one_dimensional_vector_of_size_one()
    {
        var ml = new MLContext(seed: 1);
        var graph = new OnnxGraphBuilder();
        string features = graph.AddInput("Features", OnnxDataType.Float, -1, FeatureCount);
        string sum = graph.AddNode("ReduceSum", [features, graph.AddConstant("axes", new long[] { 1 }, 1)], "Sum",
            OnnxAttribute.Int("keepdims", 0));
        graph.AddOutput(sum, OnnxDataType.Float, -1);
        var rows = RandomRows(4, seed: 8);
        var data = ml.Data.LoadFromEnumerable(rows);

        var scored = OnnxTransformerFactory.Create(ml, graph.ToBytes(), ["Sum"], ["Features"], data.Schema).Transform(data);

        var type = Assert.IsType<VectorDataViewType>(scored.Schema["Sum"].Type);
        Assert.Equal([1], type.Dimensions.ToArray());
        var sums = ColumnValues(scored, "Sum").Select(v => Assert.Single(v)).ToArray();
        for (int i = 0; i < rows.Length; i++)
            Assert.Equal(rows[i].Features.Sum(), sums[i], 4);
    }

    [Fact]
    public void Create_with_missing_input_column_names_the_column()
    {
        var ml = new MLContext(seed: 1);
        using var linear = nn.Linear(FeatureCount, 1);
        byte[] onnx = OnnxModuleExporter.Export(linear, [FeatureCount], inputName: "Pixels");
        var data = ml.Data.LoadFromEnumerable(RandomRows(2, seed: 1));

        var error = Assert.Throws<ArgumentException>(() => OnnxTransformerFactory.Create(ml, onnx, ["output"], ["Pixels"], data.Schema));
        Assert.Contains("'Pixels'", error.Message);
    }
}
