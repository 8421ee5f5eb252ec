using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Spikes;

namespace MlNetExt.Benchmarks;

/// <summary>
/// counts mode: BinSpikes speed on 1M spikes; NeuralPoisson training throughput; scoring throughput of the fitted
/// model through the ML.NET pipeline (ApplyOnnxModel) and through a raw batched ONNX Runtime session. The model has
/// the SpikingNeurons sample's shape (20 features -> 64-64 -> 30 neurons); pass --model &lt;zip&gt; --onnx &lt;onnx&gt;
/// to score the sample's saved files instead.
/// </summary>
public static class CountRegressionBenchmark
{
    internal const int Features = 20, Neurons = 30;

    public sealed class Spike { public int Neuron { get; set; } public double Time { get; set; } }
    public sealed class Sample { public double Time { get; set; } public float Speed { get; set; } public float Lean { get; set; } public float Throttle { get; set; } public float Brake { get; set; } }

    public static int Run(string[] args)
    {
        string? zipPath = Option(args, "--model"), onnxPath = Option(args, "--onnx");
        int trainRows = int.Parse(Option(args, "--train-rows") ?? "20000");
        int scoreRows = int.Parse(Option(args, "--score-rows") ?? "100000");
        if (Option(args, "--torch-threads") is string threads) TorchSharp.torch.set_num_threads(int.Parse(threads));
        Console.WriteLine($"libtorch intra-op threads: {TorchSharp.torch.get_num_threads()} (--torch-threads N to change)");
        Console.WriteLine($"counts benchmark on {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");

        BinningSpeed();
        var ml = new MLContext(1);
        var (trainData, schema) = SyntheticBins(ml, trainRows, seed: 1);
        var model = TrainingThroughput(ml, trainData, trainRows);

        ITransformer scorer = model;
        byte[] onnx = model.GetOnnxModel();
        if (zipPath != null) scorer = ml.Model.Load(zipPath, out _);
        if (onnxPath != null) onnx = File.ReadAllBytes(onnxPath);
        var (scoreData, _) = SyntheticBins(ml, scoreRows, seed: 2);
        PipelineScoring(scorer, scoreData, scoreRows);
        RawOnnxScoring(onnx, scoreRows);
        _ = schema;
        return 0;
    }

    private static void BinningSpeed()
    {
        var ml = new MLContext(1);
        const int spikeCount = 1_000_000, neurons = 40;
        var rng = new Random(3);
        var times = new double[spikeCount];
        for (int i = 0; i < spikeCount; i++) times[i] = rng.NextDouble() * 600;
        Array.Sort(times);
        var spikes = ml.Data.LoadFromEnumerable(times.Select(t => new Spike { Neuron = rng.Next(neurons), Time = t }).ToArray());
        var covariates = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 60_000).Select(i => new Sample { Time = i * 0.01, Speed = i % 97, Lean = i % 13, Throttle = 0.5f, Brake = 0 }).ToArray());
        long expected = times.Count(t => t >= 4 * 0.05);   // the first 4 bins lack a full history and are left out
        var runs = new List<double>();
        for (int r = 0; r < 6; r++)
        {
            var clock = Stopwatch.StartNew();
            var bins = ml.Data.BinSpikes(spikes, covariates, binSeconds: 0.05, historyBins: 4, neuronCount: neurons);
            double total = 0;
            foreach (var v in bins.GetColumn<VBuffer<float>>("Counts")) foreach (var c in v.DenseValues()) total += c;
            clock.Stop();
            if (total != expected) throw new InvalidOperationException($"binned {total} of {expected} spikes");
            if (r > 0) runs.Add(clock.Elapsed.TotalMilliseconds);   // run 0 warms up the JIT
        }
        runs.Sort();
        Console.WriteLine($"BinSpikes: 1,000,000 spikes, 40 neurons, 600 s at 50 ms + 60,000 covariate samples, history 4: median {runs[runs.Count / 2]:F0} ms (min {runs[0]:F0} ms) incl. reading every Counts row");
    }

    private static CountRegressionTransformer TrainingThroughput(MLContext ml, IDataView data, int rows)
    {
        var options = new NeuralPoissonOptions { LabelColumnName = "Counts", HiddenLayers = [64, 64], Epochs = 5, BatchSize = 512, Seed = 1 };
        var clock = Stopwatch.StartNew();
        var model = ml.Regression.Trainers.NeuralPoisson(options).Fit(data);
        clock.Stop();
        Console.WriteLine($"NeuralPoisson training ({Features} -> 64-64 -> {Neurons}, batch 512, {options.Epochs} epochs of {rows:N0} rows, incl. data load + ONNX export): {clock.Elapsed.TotalSeconds:F2} s, {rows * (double)options.Epochs / clock.Elapsed.TotalSeconds:N0} rows/s");
        return model;
    }

    private static void PipelineScoring(ITransformer model, IDataView data, int rows)
    {
        double best = double.MaxValue;
        for (int r = 0; r < 3; r++)
        {
            var clock = Stopwatch.StartNew();
            double sum = 0;
            foreach (var v in model.Transform(data).GetColumn<VBuffer<float>>("Score")) sum += v.GetValues()[0];
            clock.Stop();
            if (!double.IsFinite(sum)) throw new InvalidOperationException("non-finite scores");
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"ML.NET pipeline scoring (ApplyOnnxModel, row by row): {rows:N0} rows in {best:F2} s, {rows / best:N0} rows/s");
    }

    private static void RawOnnxScoring(byte[] onnx, int rows)
    {
        using var session = new InferenceSession(onnx);
        string input = session.InputMetadata.Keys.First();
        var rng = new Random(4);
        var features = new float[rows * Features];
        for (int i = 0; i < features.Length; i++) features[i] = (float)(rng.NextDouble() * 2 - 1);
        foreach (int batch in new[] { 1, 64, 1024 })
        {
            double best = double.MaxValue;
            for (int r = 0; r < 3; r++)
            {
                var clock = Stopwatch.StartNew();
                for (int start = 0; start < rows; start += batch)
                {
                    int n = Math.Min(batch, rows - start);
                    var tensor = new DenseTensor<float>(features.AsMemory(start * Features, n * Features), [n, Features]);
                    using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
                }
                clock.Stop();
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"raw ONNX Runtime session, batch {batch,5}: {rows:N0} rows in {best:F2} s, {rows / best:N0} rows/s");
        }
    }

    private static (IDataView Data, DataViewSchema Schema) SyntheticBins(MLContext ml, int rows, int seed)
    {
        var rng = new Random(seed);
        var data = new List<Row>(rows);
        for (int r = 0; r < rows; r++)
        {
            var x = new float[Features];
            for (int j = 0; j < Features; j++) x[j] = (float)(rng.NextDouble() * 2 - 1);
            var k = new float[Neurons];
            for (int n = 0; n < Neurons; n++)
            {
                double mu = Math.Exp(-1 + Math.Sin(x[n % Features] * 2 + n) + 0.5 * x[(n + 3) % Features]);
                double limit = Math.Exp(-mu), p = 1;
                int c = -1;
                do { c++; p *= rng.NextDouble(); } while (p > limit);
                k[n] = c;
            }
            data.Add(new Row { Features = x, Counts = k });
        }
        var view = ml.Data.LoadFromEnumerable(data);
        return (ml.Data.Cache(view), view.Schema);
    }

    public sealed class Row
    {
        [VectorType(CountRegressionBenchmark.Features)] public float[] Features { get; set; } = [];
        [VectorType(CountRegressionBenchmark.Neurons)] public float[] Counts { get; set; } = [];
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
