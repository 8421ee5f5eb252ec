using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using TorchSharp;
using Xunit;

namespace MlNetExt.Core.Tests.Pipelines;

public class VectorToScalarTests
{
    private sealed class VectorRow
    {
        [VectorType(1)]
        public float[] Prediction { get; set; } = [];

        public float Label { get; set; }
    }

    /// <summary>Random floats over many magnitudes (1e-38 .. 1e38), both signs, plus edge values.</summary>
    private static float[] AwkwardFloats(int count, int seed)
    {
        var random = new Random(seed);
        var values = new List<float> { 0f, 1f, -1f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-45f,
            float.PositiveInfinity, float.NegativeInfinity, 3.4028e38f, 1.17549435e-38f, 0.1f, 123456.789f };
        while (values.Count < count)
        {
            double magnitude = Math.Pow(10, random.NextDouble() * 76 - 38);
            values.Add((float)(random.Next(2) == 0 ? magnitude : -magnitude));
            values.Add(BitConverter.Int32BitsToSingle(random.Next()) is var bits && float.IsFinite(bits) ? bits : 2f);
        }
        return values.ToArray();
    }

    [Fact]
    public void VectorToScalar_copies_every_value_bit_for_bit()
    {
        var ml = new MLContext(seed: 1);
        float[] values = AwkwardFloats(3000, seed: 7);
        var data = ml.Data.LoadFromEnumerable(values.Select(v => new VectorRow { Prediction = [v], Label = 0 }));

        var transformer = OnnxTransformerFactory.VectorToScalar(ml, "Score", "Prediction", data.Schema);
        var scored = transformer.Transform(data);

        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        float[] scores = scored.GetColumn<float>("Score").ToArray();
        Assert.Equal(values.Length, scores.Length);
        for (int i = 0; i < values.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(values[i]) == BitConverter.SingleToInt32Bits(scores[i]), $"row {i}: {values[i]:R} became {scores[i]:R}");
    }

    [Fact]
    public void VectorToScalar_maps_negative_zero_to_zero_and_keeps_nan()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new VectorRow { Prediction = [-0f] }, new VectorRow { Prediction = [float.NaN] } });

        float[] scores = OnnxTransformerFactory.VectorToScalar(ml, "Score", "Prediction", data.Schema).Transform(data).GetColumn<float>("Score").ToArray();

        Assert.Equal(0f, scores[0]);
        Assert.True(float.IsNaN(scores[1]));
    }

    [Fact]
    public void VectorToScalar_with_other_output_name_saves_loads_and_evaluates()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        var rows = Enumerable.Range(0, 200).Select(_ =>
        {
            float label = (float)(random.NextDouble() * 10);
            return new VectorRow { Label = label, Prediction = [label + (float)(random.NextDouble() - 0.5)] };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);

        var transformer = OnnxTransformerFactory.VectorToScalar(ml, "Mean", "Prediction", data.Schema);
        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-v2s-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(transformer, data.Schema, path);
            var loaded = new MLContext(seed: 5).Model.Load(path, out _);
            var scored = loaded.Transform(data);

            float[] means = scored.GetColumn<float>("Mean").ToArray();
            Assert.Equal(rows.Select(r => r.Prediction[0]), means);
            var metrics = ml.Regression.Evaluate(scored, labelColumnName: "Label", scoreColumnName: "Mean");
            double expectedMae = rows.Average(r => Math.Abs(r.Prediction[0] - r.Label));
            Assert.Equal(expectedMae, metrics.MeanAbsoluteError, 5);
            Assert.InRange(metrics.MeanAbsoluteError, 0.15, 0.35);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("Raw", "Score")]
    [InlineData("Score", "Score")]
    [InlineData("Raw", "Mean")]
    public void Exported_network_then_VectorToScalar_saves_loads_and_evaluates(string onnxOutput, string scoreColumn)
    {
        var ml = new MLContext(seed: 1);
        using var net = torch.nn.Sequential(torch.nn.Linear(1, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1));
        byte[] onnx = OnnxModuleExporter.Export(net, [1], inputName: "Prediction", outputName: onnxOutput);
        var random = new Random(9);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 50).Select(_ =>
            new VectorRow { Prediction = [(float)random.NextDouble()], Label = (float)random.NextDouble() }).ToArray());

        var onnxTransformer = OnnxTransformerFactory.Create(ml, onnx, [onnxOutput], ["Prediction"], data.Schema);
        var withRaw = onnxTransformer.Transform(data);
        float[] raw = withRaw.GetColumn<float[]>(onnxOutput).Select(v => Assert.Single(v)).ToArray();
        var toScalar = OnnxTransformerFactory.VectorToScalar(ml, scoreColumn, onnxOutput, withRaw.Schema);
        var model = new TransformerChain<ITransformer>(onnxTransformer, toScalar);
        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-v2s-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext(seed: 3).Model.Load(path, out _);
            var scored = loaded.Transform(data);

            Assert.Equal(NumberDataViewType.Single, scored.Schema[scoreColumn].Type);
            Assert.Equal(raw, scored.GetColumn<float>(scoreColumn).ToArray());
            var metrics = ml.Regression.Evaluate(scored, scoreColumnName: scoreColumn);
            double expectedRmse = Math.Sqrt(raw.Zip(data.GetColumn<float>("Label")).Average(p => (double)(p.First - p.Second) * (p.First - p.Second)));
            Assert.Equal(expectedRmse, metrics.RootMeanSquaredError, 4);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void VectorToScalar_rejects_vector_of_size_two_naming_column_and_type()
    {
        var ml = new MLContext(seed: 1);
        var schemaBuilder = new DataViewSchema.Builder();
        schemaBuilder.AddColumn("Pair", new VectorDataViewType(NumberDataViewType.Single, 2));

        var error = Assert.Throws<ArgumentException>(() => OnnxTransformerFactory.VectorToScalar(ml, "Score", "Pair", schemaBuilder.ToSchema()));
        Assert.Contains("'Pair'", error.Message);
        Assert.Contains("one element", error.Message);
    }
}
