// Reliability checks that need a process of their own.
//
//   race <implicit|explicit|torchsharp-adam|training-loop> [seconds]
//       TorchSharp work on the main thread while a background thread runs GC.Collect(); GC.WaitForPendingFinalizers() in a
//       loop. "implicit" (numbers passed straight to TorchSharp: x + y, * 0.5f, + 1e-8f, clamp, pow) and "torchsharp-adam"
//       (TorchSharp's own Adam step) abort the process sooner or later (c10 "Expected false to be true ... Scalar.h");
//       "explicit" (the same arithmetic through MlNetExt.Core.Torch.ExplicitScalarMath) and "training-loop" (Core's
//       NeuralTrainingLoop, its own Adam) survive. Prints the iterations done; exit code 0 when the time ran out.
//   scalar-inventory
//       Which TorchSharp operations leave Scalars to the finalizer (each one is a crash site under GC pressure).
//   prediction-engines
//       ML.NET hazard (documented in docs/reliability.md): two PredictionEngines of one loaded model; disposing one while the
//       other is still used makes the other fail (NullReferenceException here; a crash when they run on other threads).
//   temp-files <directory> <count>
//       Creates <count> ONNX transformers with OnnxTransformerFactory (MLContext.TempFilePath = directory), keeps them alive
//       and exits without disposing them: MlNetExt's process-exit cleanup must leave the directory empty.
//   load-files <directory> <count> [dispose]
//       Loads a saved ONNX model <count> times with ml.Model.Load (MLContext.TempFilePath = directory) and exits, disposing
//       the loaded models first only when "dispose" is given: ML.NET's own copies stay behind unless disposed.
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Torch;
using MlNetExt.Core.Training;
using MlNetExt.Tests.Shared;
using TorchSharp;
using static TorchSharp.torch;

return args.FirstOrDefault() switch
{
    "race" when args.Length >= 2 => Race(args[1], args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 20),
    "scalar-inventory" => ScalarInventory(),
    "temp-files" when args.Length == 3 => TempFiles(args[1], int.Parse(args[2], CultureInfo.InvariantCulture)),
    "prediction-engines" => PredictionEngines(),
    "load-files" when args.Length >= 3 => LoadFiles(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args.Length > 3 && args[3] == "dispose"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: race <implicit|explicit|torchsharp-adam|training-loop> [seconds] | scalar-inventory | prediction-engines | temp-files <directory> <count> | load-files <directory> <count> [dispose]");
    return 2;
}

static int Race(string mode, double seconds)
{
    set_num_threads(1);
    long collections = 0;
    using var stop = new ManualResetEventSlim();
    var collector = new Thread(() =>
    {
        while (!stop.IsSet)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Interlocked.Increment(ref collections);
        }
    }) { IsBackground = true };

    Action step = mode switch
    {
        "implicit" => ImplicitArithmetic(),
        "explicit" => ExplicitArithmetic(),
        "torchsharp-adam" => TorchSharpAdam(),
        "training-loop" => TrainingLoop(),
        _ => throw new ArgumentException($"Unknown race mode '{mode}'.", nameof(mode)),
    };
    var clock = Stopwatch.StartNew();
    collector.Start();
    long iterations = 0;
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        using var scope = NewDisposeScope();
        step();
        iterations++;
        if (iterations % 1000 == 0)
            Console.WriteLine(FormattableString.Invariant($"{mode}: {iterations} iterations, {clock.Elapsed.TotalSeconds:F1} s"));
    }
    stop.Set();
    collector.Join();
    Console.WriteLine(FormattableString.Invariant(
        $"{mode}: survived {iterations} iterations in {clock.Elapsed.TotalSeconds:F1} s under {Interlocked.Read(ref collections)} forced collections"));
    return 0;
}

static Action ImplicitArithmetic()
{
    var x = randn(64, 32).DetachFromDisposeScope();
    var y = randn(64, 32).DetachFromDisposeScope();
    return () => ((x + y) * 0.5f + 1e-8f).clamp(-1f, 1f).pow(2);
}

static Action ExplicitArithmetic()
{
    var x = randn(64, 32).DetachFromDisposeScope();
    var y = randn(64, 32).DetachFromDisposeScope();
    return () => x.Plus(y).Times(0.5).Plus(1e-8).ClampedTo(-1, 1).Power(2);
}

static Action TorchSharpAdam()
{
    var x = randn(64, 32).DetachFromDisposeScope();
    var linear = nn.Linear(32, 8);
    var adam = optim.Adam(linear.parameters(), 1e-3);
    return () =>
    {
        adam.zero_grad();
        nn.functional.mse_loss(linear.call(x), zeros(64, 8)).backward();
        adam.step();
    };
}

static Action TrainingLoop()
{
    var ml = new MLContext(1);
    var random = new Random(1);
    var rows = Enumerable.Range(0, 256).Select(_ => new Row { Features = [(float)random.NextDouble(), (float)random.NextDouble()] }).ToList();
    foreach (var row in rows) row.Label = 2 * row.Features[0] - row.Features[1];
    var data = ml.Data.LoadFromEnumerable(rows);
    return () =>
    {
        var options = new NeuralTrainerOptions { Epochs = 2, BatchSize = 16, Optimizer = OptimizerKind.Adam, Seed = 1 };
        var loop = new NeuralTrainingLoop(ml, options, "race");
        using var model = nn.Linear(2, 1);
        using var train = DataViewTensorSource.Create(data, [new TensorColumnSpec("Features"), new TensorColumnSpec("Label")]);
        loop.Train(model, train, null, b => nn.functional.mse_loss(model.call(b["Features"]), b["Label"]));
    };
}

static int ScalarInventory()
{
    using var finalized = new FinalizedTorchObjects();
    finalized.SelfCheck();
    var operations = new (string Name, Action Run)[]
    {
        ("tensor + tensor (add: implicit alpha 1)", () => _ = rand(4, 4) + rand(4, 4)),
        ("tensor - tensor, *, / (no Scalar)", () => { var a = rand(4, 4); _ = (a - a) * a / a; }),
        ("tensor * 0.5f", () => _ = rand(4, 4) * 0.5f),
        ("square() (pow(2))", () => rand(4, 4).square()),
        ("clamp_min(0)", () => rand(4, 4).clamp_min(0)),
        ("gt(0)", () => rand(4, 4).gt(0)),
        ("full(shape, value)", () => full(3, 0.5f)),
        ("arange(start, stop)", () => arange(0, 5)),
        ("nn.functional.softplus", () => nn.functional.softplus(rand(4, 4))),
        ("nn.Softplus module", () => nn.Softplus().call(rand(4, 4))),
        ("nn.BatchNorm2d in training mode", () => { var bn = nn.BatchNorm2d(3); bn.train(); bn.call(rand(2, 3, 4, 4)); }),
        ("nn.BatchNorm2d in eval mode", () => { var bn = nn.BatchNorm2d(3); bn.eval(); bn.call(rand(2, 3, 4, 4)); }),
        ("Linear, ReLU, GELU, SiLU, Tanh, Dropout, Conv2d", () =>
        {
            var x = rand(2, 3, 8, 8);
            nn.Conv2d(3, 4, 3).call(x);
            var v = rand(5, 4);
            nn.Linear(4, 3).call(nn.Dropout(0.2).call(nn.SiLU().call(nn.GELU().call(nn.Tanh().call(nn.ReLU().call(v))))));
        }),
        ("cross_entropy, mse_loss, normalize, interpolate, grid_sample", () =>
        {
            nn.functional.cross_entropy(rand(4, 3), tensor(new long[] { 0, 1, 2, 0 }), label_smoothing: 0.1);
            nn.functional.mse_loss(rand(4), rand(4));
            nn.functional.normalize(rand(4, 3), p: 2, dim: 1);
            nn.functional.interpolate(rand(1, 3, 8, 8), [4, 4], mode: InterpolationMode.Bilinear, align_corners: false);
            nn.functional.grid_sample(rand(1, 3, 8, 8), rand(1, 4, 4, 2), align_corners: false);
        }),
        ("TorchSharp Adam step", () =>
        {
            var l = nn.Linear(4, 3);
            var adam = optim.Adam(l.parameters(), 1e-3);
            l.call(rand(2, 4)).sum().backward();
            adam.step();
        }),
        ("ExplicitScalarMath: Plus, Times, Squared, AtLeast, GreaterThan, Softplus", () =>
            rand(4, 4).Plus(rand(4, 4)).Times(0.5).Squared().AtLeast(0).Softplus().GreaterThan(0)),
        ("ExplicitScalarBatchNorm2d in training mode", () => { var bn = new ExplicitScalarBatchNorm2d(3); bn.train(); bn.call(rand(2, 3, 4, 4)); }),
    };
    foreach (var (name, run) in operations)
    {
        finalized.Flush();
        long before = finalized.Scalars;
        for (int i = 0; i < 10; i++)
        {
            using var scope = NewDisposeScope();
            run();
        }
        finalized.Flush();
        Console.WriteLine(FormattableString.Invariant($"{(finalized.Scalars - before) / 10.0,5:F1} Scalars finalized per call  {name}"));
    }
    return 0;
}

static byte[] DoublingModel()
{
    var graph = new OnnxGraphBuilder("doubling");
    graph.AddNode("Mul", [graph.AddInput("Features", OnnxDataType.Float, -1, 2), graph.AddConstant("two", [2f])], "Doubled");
    graph.AddOutput("Doubled", OnnxDataType.Float, -1, 2);
    return graph.ToBytes();
}

static int PredictionEngines()
{
    var ml = new MLContext(1);
    var data = ml.Data.LoadFromEnumerable(new[] { new Row { Features = [1, 2] } });
    var fitted = OnnxTransformerFactory.Create(ml, DoublingModel(), ["Doubled"], ["Features"], data.Schema);
    using var zip = new MemoryStream();
    ml.Model.Save(fitted, data.Schema, zip);
    zip.Position = 0;
    var loaded = ml.Model.Load(zip, out _);
    var first = ml.Model.CreatePredictionEngine<Row, Doubled>(loaded);
    var second = ml.Model.CreatePredictionEngine<Row, Doubled>(loaded);
    Console.WriteLine($"before: {second.Predict(new Row { Features = [1, 2] }).Values[1]}");
    first.Dispose();
    try
    {
        Console.WriteLine($"after disposing the other engine: {second.Predict(new Row { Features = [1, 2] }).Values[1]}");
        return 0;
    }
    catch (Exception e)
    {
        Console.WriteLine($"after disposing the other engine: {e.GetType().Name}: {e.Message}");
        return 1;
    }
}

static int LoadFiles(string directory, int count, bool dispose)
{
    var saving = new MLContext(1);
    var data = saving.Data.LoadFromEnumerable(new[] { new Row { Features = [1, 2] } });
    var fitted = OnnxTransformerFactory.Create(saving, DoublingModel(), ["Doubled"], ["Features"], data.Schema);
    using var zip = new MemoryStream();
    saving.Model.Save(fitted, data.Schema, zip);
    OnnxTransformerFactory.Release(fitted);
    var ml = new MLContext(1) { TempFilePath = directory };
    var loaded = Enumerable.Range(0, count).Select(_ => ml.Model.Load(new MemoryStream(zip.ToArray()), out DataViewSchema _)).ToList();
    Console.WriteLine($"files while the loaded models are alive: {Directory.GetFiles(directory).Length}");
    if (dispose)
        foreach (var model in loaded)
            ((IDisposable)model).Dispose();
    GC.KeepAlive(loaded);
    return 0;
}

static int TempFiles(string directory, int count)
{
    var ml = new MLContext(1) { TempFilePath = directory };
    byte[] model = DoublingModel();
    var data = ml.Data.LoadFromEnumerable(new[] { new Row { Features = [1, 2] } });
    var transformers = Enumerable.Range(0, count).Select(_ => OnnxTransformerFactory.Create(ml, model, ["Doubled"], ["Features"], data.Schema)).ToList();
    Console.WriteLine($"files while the transformers are alive: {Directory.GetFiles(directory).Length}");
    GC.KeepAlive(transformers);
    return 0;
}

internal sealed class Doubled
{
    [ColumnName("Doubled")]
    public float[] Values { get; set; } = [];
}

internal sealed class Row
{
    [VectorType(2)]
    public float[] Features { get; set; } = [];

    public float Label { get; set; }
}
