using System.Diagnostics;
using System.Globalization;
using MlNetExt.Vision.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Benchmarks;

/// <summary>
/// The bare TorchSharp train step (forward, cross-entropy, backward, Adam step) of a backbone with a linear head on
/// random images, to compare the classifier trainer's per-epoch throughput with what libtorch itself reaches.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- trainstep [backbone] [size] [batch] [threads] [steps]
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
        double rate = Measure(name, size, batch, steps);
        Console.WriteLine($"{name} {size}px batch {batch}, {get_num_threads()} threads: {rate:N1} img/s ({batch / rate * 1000:N0} ms/step)");
    }

    /// <summary>Images per second of warm train steps (three warm-up steps, then <paramref name="steps"/> timed).</summary>
    public static double Measure(string name, int size, int batch, int steps)
    {
        manual_seed(1);
        var backbone = BackboneRegistry.Create(name);
        var head = nn.Linear(backbone.FeatureDimension, 10);
        var parameters = backbone.parameters().Concat(head.parameters()).ToList();
        using var optimizer = optim.Adam(parameters, 1e-3);
        backbone.train();
        using var images = randn(batch, 3, size, size);
        using var labels = randint(0, 10, new long[] { batch });
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(head.call(backbone.Features(images)), labels);
            loss.backward();
            optimizer.step();
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
