using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MlNetExt.Core.Models;
using MlNetExt.Core.Training;
using MlNetExt.Regression.Counts;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;

namespace MlNetExt.Benchmarks;

/// <summary>
/// scoring mode (issue 16): in-pipeline scoring throughput against a raw ONNX Runtime session over the same graph at the
/// same batch size, in one run. "before" is the model's standard chain (ML.NET's ApplyOnnxModel, one row per ONNX Runtime
/// call, what plain <c>mlContext.Model.Load</c> gives); "after" is <see cref="OnnxModelTransformer.Transform"/> (batched);
/// "ORT" is <c>InferenceSession.Run</c> on batches cut from one float array already in memory, outputs read. ML.NET
/// figures are Transform + reading every row's Score through a cursor, from a cached IDataView. Each figure is the best of
/// five passes after a warm-up pass, the three ways' passes interleaved. Scenarios: the count model (20 -> 64-64 -> 30
/// neurons, NeuralPoisson) and the image classifier's ResNet-18 and MobileNetV2 (random weights: speed does not depend on
/// them) at 64 and 224 px.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- scoring [--batch 64] [--count-rows 50000]
///      [--images 256] [--sizes 64,224] [--only counts|images] [--gpu 0]
/// With --gpu N (build with -p:UseGpu=true on a machine with CUDA 13 and cuDNN 9; benchmarks/gpu-scoring.sh) the batched
/// path also runs on that GPU: rows/s, speed-up over the CPU and the largest difference from the CPU's scores.
/// </summary>
public static class ScoringBenchmark
{
    private const int Features = 20, Neurons = 30;

    public static int Run(string[] args)
    {
        int batch = int.Parse(Option(args, "--batch") ?? "64", CultureInfo.InvariantCulture);
        int countRows = int.Parse(Option(args, "--count-rows") ?? "50000", CultureInfo.InvariantCulture);
        int images = int.Parse(Option(args, "--images") ?? "256", CultureInfo.InvariantCulture);
        int[] sizes = (Option(args, "--sizes") ?? "64,224").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string only = Option(args, "--only") ?? "";
        int? gpu = Option(args, "--gpu") is string g ? int.Parse(g, CultureInfo.InvariantCulture) : null;
        Console.WriteLine($"scoring benchmark: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, "
            + $"load average at start {LoadAverage()}, batch {batch}");
        Console.WriteLine($"{"scenario",-22} {"rows",7} {"before rows/s",14} {"% ORT",6} {"after rows/s",13} {"% ORT",6} {"ORT rows/s",12} {"max |diff|",11}"
            + (gpu is null ? "" : $" {"GPU rows/s",12} {"GPU/CPU",8} {"GPU max rel diff",17}"));
        if (only is "" or "counts")
            CountModel(batch, countRows, gpu);
        if (only is "" or "images")
        {
            foreach (string architecture in new[] { "resnet18", "mobilenet_v2" })
            {
                foreach (int size in sizes)
                    Classifier(architecture, size, batch, size >= 224 ? Math.Max(batch, images / 2) : images, gpu);
            }
        }
        Console.WriteLine($"load average at end {LoadAverage()}");
        return 0;
    }

    private static void CountModel(int batch, int rows, int? gpu)
    {
        var ml = new MLContext(1);
        var train = CountRows(ml, 4000, seed: 1);
        ITransformer fitted = ml.DeepLearning().Regression.Trainers.NeuralPoisson(new NeuralPoissonOptions
        {
            LabelColumnName = "Counts", HiddenLayers = [64, 64], Epochs = 1, BatchSize = 512, Seed = 1,
        }).Fit(train);
        Compare(ml, $"counts {Features}-64-64-{Neurons}", fitted, CountRows(ml, rows, seed: 2), "Features", Features, batch, rows, gpu);
    }

    private static void Classifier(string architecture, int size, int batch, int images, int? gpu)
    {
        var ml = new MLContext(1);
        var options = new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", Backbone = ImageBackbone.FromScratch(architecture), Strategy = TransferStrategy.Frozen,
            Epochs = 1, ImageSize = size, BatchSize = 8, Seed = 1,
        };
        ITransformer fitted = new ImageClassificationTrainer(ml, options).Fit(Images(ml, 8, size));
        Compare(ml, $"{architecture} {size} px", fitted, Images(ml, images, size), "Pixels", 3 * size * size, batch, images, gpu);
    }

    /// <summary>Measures the three ways (and, with <paramref name="gpu"/>, the batched path on that GPU) and prints one line;
    /// the ONNX graph is the one the saved chain runs.</summary>
    private static void Compare(MLContext ml, string name, ITransformer fitted, IDataView data, string inputColumn, int width, int batch, int rows,
        int? gpu)
    {
        byte[] graph = ChainGraph(ml, fitted, data.Schema);
        // Fitted MlNetExt models are OnnxModelTransformers; a trainer that still returns its bare chain is wrapped in one.
        OnnxModelTransformer model = fitted as OnnxModelTransformer
            ?? new BenchmarkModel(fitted as TransformerChain<ITransformer> ?? new TransformerChain<ITransformer>(fitted), graph);
        model.ScoringBatchSize = batch;

        // Warm-up passes, then rounds of one timed pass each, interleaved so that a shared machine's load changes hit all
        // three alike; each figure is its best pass.
        var beforePass = Pass(() => model.Model.Transform(data), out var beforeScores);
        var afterPass = Pass(() => model.Transform(data), out var afterScores);
        double worst = beforeScores.Zip(afterScores).Max(p => Math.Abs(p.First - p.Second));
        using var session = new InferenceSession(graph);
        var rawPass = RawPass(session, data, inputColumn, width, batch, rows);
        double before = double.MaxValue, after = double.MaxValue, rawSeconds = double.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            before = Math.Min(before, beforePass());
            after = Math.Min(after, afterPass());
            rawSeconds = Math.Min(rawSeconds, rawPass());
        }
        double raw = rows / rawSeconds;
        string onGpu = gpu is int id ? OnGpu(model, data, graph, id, batch, rows, after, afterScores) : "";
        Console.WriteLine($"{name,-22} {rows,7} {rows / before,14:N0} {100 * (rows / before) / raw,5:N0}% "
            + $"{rows / after,13:N0} {100 * (rows / after) / raw,5:N0}% {raw,12:N0} {worst,11:G3}{onGpu}");
    }

    /// <summary>The model saved and loaded back with a context on GPU <paramref name="deviceId"/> (no fallback: a missing CUDA
    /// piece fails with its name), scored batched: rows/s, speed-up over the CPU's batched path, and the largest difference
    /// from the CPU's scores relative to max(1, |CPU score|).</summary>
    private static string OnGpu(OnnxModelTransformer model, IDataView data, byte[] graph, int deviceId, int batch, int rows, double cpuSeconds,
        float[] cpuScores)
    {
        var context = new MLContext(1) { GpuDeviceId = deviceId, FallbackToCpu = false };
        using var zip = new MemoryStream();
        context.Model.Save(model, data.Schema, zip);
        zip.Position = 0;
        var loaded = context.DeepLearning().Model.Load(zip, out _);
        var gpuModel = loaded as OnnxModelTransformer
            ?? new BenchmarkModel(loaded as TransformerChain<ITransformer> ?? new TransformerChain<ITransformer>(loaded), graph);
        gpuModel.ScoringBatchSize = batch;
        double seconds = Measure(() => gpuModel.Transform(data), out var gpuScores);
        double relative = cpuScores.Zip(gpuScores).Max(p => Math.Abs(p.First - p.Second) / Math.Max(1, Math.Abs(p.First)));
        return $" {rows / seconds,12:N0} {cpuSeconds / seconds,7:N1}x {relative,17:G3}";
    }

    private const int Rounds = 5;

    /// <summary>Best of <see cref="Rounds"/> timed passes (after a warm-up) of Transform + reading every Score.</summary>
    private static double Measure(Func<IDataView> transform, out float[] scores)
    {
        var pass = Pass(transform, out scores);
        return Enumerable.Range(0, Rounds).Min(_ => pass());
    }

    /// <summary>Runs a warm-up pass (its scores flattened into <paramref name="scores"/>) and returns a timed pass (seconds).</summary>
    private static Func<double> Pass(Func<IDataView> transform, out float[] scores)
    {
        scores = Read(transform(), collect: true);
        return () =>
        {
            var clock = Stopwatch.StartNew();
            Read(transform(), collect: false);
            return clock.Elapsed.TotalSeconds;
        };
    }

    /// <summary>Reads every row's Score; with <paramref name="collect"/> false only the first value is touched (as the raw
    /// session's pass does), so list building is not timed.</summary>
    private static float[] Read(IDataView scored, bool collect)
    {
        var column = scored.Schema["Score"];
        var values = new List<float>();
        double sum = 0;
        using var cursor = scored.GetRowCursor([column]);
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                if (collect)
                    values.AddRange(value.DenseValues());
                else
                    sum += value.GetValues()[0];
            }
        }
        else
        {
            var getter = cursor.GetGetter<float>(column);
            float value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                if (collect)
                    values.Add(value);
                else
                    sum += value;
            }
        }
        if (double.IsNaN(sum))
            throw new InvalidOperationException("NaN scores");
        return values.ToArray();
    }

    /// <summary>A timed pass (seconds, after a warm-up pass) of a raw session: batches cut from one in-memory array, every
    /// output read.</summary>
    private static Func<double> RawPass(InferenceSession session, IDataView data, string inputColumn, int width, int batch, int rows)
    {
        string input = session.InputMetadata.Keys.Single();
        var features = data.GetColumn<VBuffer<float>>(inputColumn).SelectMany(v => v.DenseValues()).ToArray();
        double Pass()
        {
            var clock = Stopwatch.StartNew();
            double sum = 0;
            using var runOptions = new RunOptions();
            for (int start = 0; start < rows; start += batch)
            {
                int n = Math.Min(batch, rows - start);
                using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                    features.AsMemory(start * width, n * width), [n, width]);
                using var results = session.Run(runOptions, [input], [value], session.OutputNames);
                foreach (var result in results)
                {
                    if (result.GetTensorTypeAndShape().ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float)
                        sum += result.GetTensorDataAsSpan<float>()[0];
                }
            }
            if (double.IsNaN(sum))
                throw new InvalidOperationException("NaN scores");
            return clock.Elapsed.TotalSeconds;
        }
        Pass();
        return Pass;
    }

    /// <summary>The ONNX graph the model's ONNX transformer runs, read from the saved zip (ML.NET's public file layout:
    /// an <c>OnnxModel</c> entry holding a 32-bit length and the bytes).</summary>
    private static byte[] ChainGraph(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var zip = new MemoryStream();
        ml.Model.Save(model, schema, zip);
        zip.Position = 0;
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
        var entry = archive.Entries.Single(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal));
        using var reader = new BinaryReader(entry.Open());
        int length = reader.ReadInt32();
        return reader.ReadBytes(length);
    }

    private static IDataView CountRows(MLContext ml, int rows, int seed)
    {
        var rng = new Random(seed);
        var data = new CountRow[rows];
        for (int r = 0; r < rows; r++)
        {
            var x = new float[Features];
            for (int j = 0; j < Features; j++)
                x[j] = (float)(rng.NextDouble() * 2 - 1);
            var k = new float[Neurons];
            for (int n = 0; n < Neurons; n++)
                k[n] = rng.Next(4);
            data[r] = new CountRow { Features = x, Counts = k };
        }
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(data));
    }

    private static IDataView Images(MLContext ml, int count, int size)
    {
        var random = new Random(size + count);
        var rows = Enumerable.Range(0, count).Select(i => new ImageRow
        {
            Pixels = Enumerable.Range(0, 3 * size * size).Select(_ => (float)random.Next(256)).ToArray(),
            Label = (i % 2).ToString(CultureInfo.InvariantCulture),
        }).ToList();
        var definition = SchemaDefinition.Create(typeof(ImageRow));
        definition[nameof(ImageRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3 * size * size);
        var view = ml.Data.LoadFromEnumerable(rows, definition);
        return ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view));
    }

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class CountRow
    {
        [VectorType(ScoringBenchmark.Features)] public float[] Features { get; set; } = [];

        [VectorType(ScoringBenchmark.Neurons)] public float[] Counts { get; set; } = [];
    }

    private sealed class ImageRow
    {
        public float[] Pixels { get; set; } = [];

        public string Label { get; set; } = "";
    }

    /// <summary>An MlNetExt model around a bare scoring chain (for trainers not yet returning an OnnxModelTransformer).</summary>
    private sealed class BenchmarkModel(TransformerChain<ITransformer> chain, byte[] graph)
        : OnnxModelTransformer(chain, graph, TrainingHistory.Empty);
}
