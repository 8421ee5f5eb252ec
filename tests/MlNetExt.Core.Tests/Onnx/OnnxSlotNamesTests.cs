using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using Xunit;

namespace MlNetExt.Core.Tests.Onnx;

public class OnnxSlotNamesTests
{
    private const int Classes = 1000;

    private sealed class Row
    {
        [VectorType(Classes)]
        public float[] Logits { get; set; } = [];
    }

    private static byte[] SoftmaxModel(IReadOnlyList<string>? slotNames)
    {
        var graph = new OnnxGraphBuilder();
        string input = graph.AddInput("Logits", OnnxDataType.Float, -1, Classes);
        graph.AddNode("Softmax", [input], "Probabilities", OnnxAttribute.Int("axis", 1));
        graph.AddOutput("Probabilities", OnnxDataType.Float, -1, Classes);
        if (slotNames is not null)
            graph.AddSlotNames("Probabilities", slotNames);
        return graph.ToBytes();
    }

    [Fact]
    public void AddSlotNames_gives_the_ApplyOnnxModel_output_those_slot_names_through_save_and_load_without_changing_values()
    {
        var ml = new MLContext(1);
        var random = new Random(3);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 300)
            .Select(_ => new Row { Logits = Enumerable.Range(0, Classes).Select(_ => (float)random.NextDouble() * 6).ToArray() }).ToList());
        var names = Enumerable.Range(0, Classes).Select(i => $"class {i} ü").ToArray();

        float[][] Score(byte[] model, out TimeSpan elapsed)
        {
            var clock = Stopwatch.StartNew();
            var values = OnnxTransformerFactory.Create(ml, model, ["Probabilities"], ["Logits"], data.Schema).Transform(data)
                .GetColumn<float[]>("Probabilities").ToArray();
            elapsed = clock.Elapsed;
            return values;
        }
        Score(SoftmaxModel(null), out _);   // warm-up
        var plainValues = Score(SoftmaxModel(null), out var plainTime);
        var namedValues = Score(SoftmaxModel(names), out var namedTime);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"1000 classes, 300 rows, create + score: with slot names {namedTime.TotalMilliseconds:F0} ms, without {plainTime.TotalMilliseconds:F0} ms");
        var named = OnnxTransformerFactory.Create(ml, SoftmaxModel(names), ["Probabilities"], ["Logits"], data.Schema);
        var plain = OnnxTransformerFactory.Create(ml, SoftmaxModel(null), ["Probabilities"], ["Logits"], data.Schema);

        Assert.Equal(plainValues, namedValues);
        Assert.Equal(names, SlotNames(named.GetOutputSchema(data.Schema)));
        Assert.False(plain.GetOutputSchema(data.Schema)["Probabilities"].HasSlotNames());

        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-slots-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(named, data.Schema, path);
            var loaded = new MLContext(2).Model.Load(path, out _);
            Assert.Equal(names, SlotNames(loaded.GetOutputSchema(data.Schema)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AddSlotNames_rejects_a_second_call_for_the_same_output()
    {
        var graph = new OnnxGraphBuilder();
        graph.AddNode("Identity", [graph.AddInput("x", OnnxDataType.Float, -1, 2)], "y");
        graph.AddSlotNames("y", ["a", "b"]);
        Assert.Throws<ArgumentException>(() => graph.AddSlotNames("y", ["a", "b"]));
    }

    private static string[] SlotNames(DataViewSchema schema)
    {
        VBuffer<ReadOnlyMemory<char>> values = default;
        schema["Probabilities"].GetSlotNames(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }
}
