using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetExt.Regression.Counts;
using Xunit;

namespace MlNetExt.Regression.Tests.Scoring;

/// <summary>
/// <c>DeepLearning().Model.ExportToOnnx</c> exports a whole pipeline (ML.NET's standard transformers through ML.NET's
/// converter, the MlNetExt network spliced in) to one ONNX file that ONNX Runtime scores as the ML.NET pipeline does.
/// </summary>
public sealed class PipelineOnnxExportTests
{
    public sealed class Row
    {
        public float Rate { get; set; }

        public float Speed { get; set; }

        public float Depth { get; set; }

        public float Light { get; set; }

        [VectorType(3)] public float[] Counts { get; set; } = [];
    }

    public sealed class Doubled
    {
        public float Twice { get; set; }
    }

    /// <summary>Four covariates on very different scales (so the normaliser matters) and three Poisson counts.</summary>
    private static Row[] Rows(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var row = new Row
            {
                Rate = (float)(random.NextDouble() * 200 + 50),
                Speed = (float)(random.NextDouble() * 2 - 1),
                Depth = (float)(random.NextDouble() * 0.01),
                Light = (float)(random.NextDouble() * 10 - 20),
            };
            double[] logRates = [0.005 * (row.Rate - 150), 0.8 * row.Speed, 50 * row.Depth - 0.25, 0.1 * (row.Light + 15)];
            row.Counts = logRates.Take(3).Select((l, n) => (float)Poisson(random, Math.Exp(0.3 + l + 0.2 * logRates[3] * n))).ToArray();
            return row;
        }).ToArray();
    }

    private static int Poisson(Random random, double rate)
    {
        double limit = Math.Exp(-rate), p = 1;
        int k = -1;
        do { k++; p *= random.NextDouble(); } while (p > limit);
        return k;
    }

    private static IEstimator<ITransformer> CountPipeline(MLContext ml) =>
        ml.Transforms.Concatenate("Features", nameof(Row.Rate), nameof(Row.Speed), nameof(Row.Depth), nameof(Row.Light))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions
            {
                LabelColumnName = nameof(Row.Counts), HiddenLayers = [16], Epochs = 3, Seed = 1,
            }));

    private static float[][] Vectors(IDataView data, string column)
        => data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    /// <summary>Runs the exported model on <paramref name="rows"/>, feeding each input by its column name.</summary>
    private static Dictionary<string, float[][]> RunOnnx(byte[] onnx, Row[] rows, out IReadOnlyDictionary<string, string> metadata)
    {
        using var session = new InferenceSession(onnx);
        metadata = session.ModelMetadata.CustomMetadataMap.ToDictionary();
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, info) in session.InputMetadata)
        {
            Func<Row, float[]> values = name switch
            {
                nameof(Row.Rate) => r => [r.Rate],
                nameof(Row.Speed) => r => [r.Speed],
                nameof(Row.Depth) => r => [r.Depth],
                nameof(Row.Light) => r => [r.Light],
                nameof(Row.Counts) => r => r.Counts,
                _ => throw new InvalidOperationException($"unexpected input '{name}'"),
            };
            int width = info.Dimensions[^1];
            var tensor = new DenseTensor<float>(rows.SelectMany(values).ToArray(), [rows.Length, width]);
            inputs.Add(NamedOnnxValue.CreateFromTensor(name, tensor));
        }
        using var results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r =>
        {
            var tensor = r.AsTensor<float>();
            int width = (int)(tensor.Length / rows.Length);
            var all = tensor.ToArray();
            return Enumerable.Range(0, rows.Length).Select(i => all[(i * width)..((i + 1) * width)]).ToArray();
        });
    }

    private static void AssertRelativelyClose(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int row = 0; row < expected.Length; row++)
        {
            Assert.Equal(expected[row].Length, actual[row].Length);
            for (int i = 0; i < expected[row].Length; i++)
                worst = Math.Max(worst, Math.Abs(expected[row][i] - actual[row][i]) / Math.Max(Math.Abs(expected[row][i]), 1e-3));
        }
        Assert.True(worst <= 1e-5, $"largest relative difference {worst:G3}");
    }

    [Fact]
    public void Count_pipeline_exports_to_one_onnx_model_that_scores_as_the_pipeline()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(Rows(600, seed: 3));
        var pipeline = CountPipeline(ml).Fit(train);
        var testRows = Rows(200, seed: 4);
        var scored = pipeline.Transform(ml.Data.LoadFromEnumerable(testRows));

        using var stream = new MemoryStream();
        ml.DeepLearning().Model.ExportToOnnx(pipeline, train, stream);
        var outputs = RunOnnx(stream.ToArray(), testRows, out var metadata);

        AssertRelativelyClose(Vectors(scored, "Features"), outputs["Features.output"]);
        AssertRelativelyClose(Vectors(scored, "Score"), outputs["Score.output"]);
        Assert.Equal(CountRegressionTransformer.Kind, metadata["mlnetext.model"]);
    }

    public sealed class Features
    {
        public float Rate { get; set; }

        public float Speed { get; set; }

        public float Depth { get; set; }

        public float Light { get; set; }
    }

    public sealed class ScalarRow
    {
        public float Rate { get; set; }

        public float Speed { get; set; }

        public float Depth { get; set; }

        public float Light { get; set; }

        public float Count { get; set; }
    }

    [Fact]
    public void Scalar_count_pipeline_with_transforms_after_the_model_exports_without_the_label_as_input()
    {
        var ml = new MLContext(1);
        var rows = Rows(600, seed: 6);
        var train = ml.Data.LoadFromEnumerable(rows.Select(r => new ScalarRow { Rate = r.Rate, Speed = r.Speed, Depth = r.Depth, Light = r.Light, Count = r.Counts[0] }));
        var pipeline = ml.Transforms.Concatenate("Features", nameof(Row.Rate), nameof(Row.Speed), nameof(Row.Depth), nameof(Row.Light))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions
            {
                LabelColumnName = nameof(ScalarRow.Count), HiddenLayers = [8], Epochs = 2, Seed = 1,
            }))
            .Append(ml.Transforms.Concatenate("Prediction", "Score", "Score"))
            .Fit(train);
        var testRows = Rows(100, seed: 7);
        // Scoring data has no label: the exported model asks only for what the pipeline reads.
        var features = ml.Data.LoadFromEnumerable(testRows.Select(r => new Features { Rate = r.Rate, Speed = r.Speed, Depth = r.Depth, Light = r.Light }));
        var scored = pipeline.Transform(features);

        using var stream = new MemoryStream();
        ml.DeepLearning().Model.ExportToOnnx(pipeline, features, stream);
        var outputs = RunOnnx(stream.ToArray(), testRows, out _);

        Assert.DoesNotContain("Count.output", outputs.Keys);
        AssertRelativelyClose(scored.GetColumn<float>("Score").Select(v => new[] { v }).ToArray(), outputs["Score.output"]);
        AssertRelativelyClose(Vectors(scored, "Prediction"), outputs["Prediction.output"]);
    }

    [Fact]
    public void Export_names_the_transformer_the_converter_cannot_export()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(Rows(200, seed: 5));
        var pipeline = ml.Transforms.CustomMapping<Row, Doubled>((row, doubled) => doubled.Twice = 2 * row.Rate, contractName: null)
            .Append(CountPipeline(ml)).Fit(train);

        var error = Assert.Throws<NotSupportedException>(() => ml.DeepLearning().Model.ExportToOnnx(pipeline, train, new MemoryStream()));

        Assert.Contains("CustomMappingTransformer", error.Message, StringComparison.Ordinal);
        Assert.Contains("(pipeline step 0)", error.Message, StringComparison.Ordinal);
    }
}
