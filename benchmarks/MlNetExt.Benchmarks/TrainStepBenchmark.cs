using System.Diagnostics;
using System.Globalization;
using MlNetExt.Vision.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Benchmarks;

/// <summary>
/// The bare TorchSharp train step (forward, cross-entropy, backward, Adam step) of a backbone with a linear head on
/// random images, to compare the classifier trainer's per-epoch throughput with what libtorch itself reaches.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- trainstep [backbone] [size] [batch] [threads] [steps] [adam|adamw|sgd|none]
/// </summary>
public static class TrainStepBenchmark
{
    public static void Run(string[] args)
    {
        string name = args.Length > 0 ? args[0] : "resnet18";
        int size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        int batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32;
        if (args.Length > 3) set_num_threads(int.Parse(args[3], CultureInfo.InvariantCulture));
        int steps = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10;
        string optimizerName = args.Length > 5 ? args[5] : "adam";
        double rate = Measure(name, size, batch, steps, optimizerName);
        Console.WriteLine($"{name} {size}px batch {batch}, {get_num_threads()} threads, {optimizerName}: {rate:N1} img/s ({batch / rate * 1000:N0} ms/step)");
    }

    /// <summary>Images per second of warm train steps (three warm-up steps, then <paramref name="steps"/> timed).</summary>
    public static double Measure(string name, int size, int batch, int steps, string optimizerName = "adam")
    {
        manual_seed(1);
        var backbone = BackboneRegistry.Create(name);
        var head = nn.Linear(backbone.FeatureDimension, 10);
        var parameters = backbone.parameters().Concat(head.parameters()).ToList();
        using optim.Optimizer? optimizer = optimizerName switch
        {
            "adam" => optim.Adam(parameters, 1e-3),
            "adamw" => optim.AdamW(parameters, 1e-3, weight_decay: 0),
            "sgd" => optim.SGD(parameters, 1e-3, momentum: 0.9),
            _ => null,
        };
        backbone.train();
        using var images = randn(batch, 3, size, size);
        using var labels = randint(0, 10, new long[] { batch });
        void Step()
        {
            using var scope = NewDisposeScope();
            foreach (var p in parameters) p.grad?.zero_();
            var loss = nn.functional.cross_entropy(head.call(backbone.Features(images)), labels);
            loss.backward();
            optimizer?.step();
        }
        for (int i = 0; i < 3; i++) Step();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) Step();
        double seconds = clock.Elapsed.TotalSeconds;
        backbone.Dispose();
        head.Dispose();
        return steps * batch / seconds;
    }
}
