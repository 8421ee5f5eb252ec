using System.Diagnostics;
using Microsoft.ML.Data;
using MlNetExt.ImageAugmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Benchmarks;

/// <summary>
/// Augmentation throughput on one thread: images per second for the MLImage path
/// (ImageAugmenter.Augment, what mlContext.Data.AugmentImages runs per row) and the batched tensor path
/// (BatchAugmenter.Apply, per image, torch.set_num_threads(1)), at 64 and 224 pixels.
/// Reference: torchvision's PIL pipeline does about 2,600 img/s at 64 px and 330 img/s at 224 px.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- augment [seconds-per-case]
/// </summary>
public static class AugmentationBenchmark
{
    public static void Run(string[] args)
    {
        double seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3;
        torch.set_num_threads(1);
        Console.WriteLine($"Augmentation throughput, one thread, {seconds:0.#} s per case ({Environment.ProcessorCount} cores visible)");
        Console.WriteLine("img/s per CPU-second of the process (one thread's speed), wall-clock img/s in brackets");
        Console.WriteLine($"{"policy",-22} {"size",5} {"MLImage img/s",24} {"batched img/s",24}");
        var policies = new[] { AugmentationPolicy.Default, AugmentationPolicy.Light, AugmentationPolicy.Strong, AugmentationPolicy.RandAugment(2, 9) };
        foreach (var policy in policies)
        {
            foreach (int size in new[] { 64, 224 })
            {
                var image = MeasureMLImage(policy, size, seconds);
                var batched = MeasureBatched(policy, size, seconds);
                Console.WriteLine($"{policy.Name,-22} {size,5} {image.Cpu,12:N0} ({image.Wall,9:N0}) {batched.Cpu,12:N0} ({batched.Wall,9:N0})");
            }
        }
    }

    private static MLImage SyntheticImage(int size)
    {
        var bgra = new byte[size * size * 4];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int o = (y * size + x) * 4;
                bgra[o] = (byte)(20 + 200.0 * (x + y) / (2 * size));
                bgra[o + 1] = (byte)(127 + 90 * Math.Cos(0.13 * x - 0.29 * y));
                bgra[o + 2] = (byte)(127 + 100 * Math.Sin(0.31 * x + 0.17 * y));
                bgra[o + 3] = 255;
            }
        return MLImage.CreateFromPixels(size, size, MLPixelFormat.Bgra32, bgra);
    }

    private static (double Wall, double Cpu) MeasureMLImage(AugmentationPolicy policy, int size, double seconds)
    {
        using var image = SyntheticImage(size);
        for (int i = 0; i < 50; i++) ImageAugmenter.Augment(image, policy, i).Dispose();
        var clock = CpuClock.Start();
        long count = 0;
        while (clock.WallSeconds < seconds)
        {
            for (int i = 0; i < 20; i++) ImageAugmenter.Augment(image, policy, count++).Dispose();
        }
        return clock.Rate(count);
    }

    private static (double Wall, double Cpu) MeasureBatched(AugmentationPolicy policy, int size, double seconds)
    {
        const int batchSize = 32;
        using var generator = new Generator(1);
        using var batch = rand(new long[] { batchSize, 3, size, size }, generator: generator);
        var augmenter = new BatchAugmenter(policy, 1);
        for (int i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            augmenter.Apply(batch, 0, i);
        }
        var clock = CpuClock.Start();
        long images = 0;
        int index = 0;
        while (clock.WallSeconds < seconds)
        {
            using var scope = NewDisposeScope();
            var output = augmenter.Apply(batch, 1, index++);
            _ = output.sum().item<float>(); // force completion on any device
            images += batchSize;
        }
        return clock.Rate(images);
    }

    /// <summary>
    /// Wall time and this process's CPU time. On a shared, loaded machine the wall-clock rate understates
    /// one thread's speed; the CPU-time rate (work / CPU seconds used) is the one-thread figure.
    /// </summary>
    private sealed class CpuClock
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly TimeSpan _cpu0 = Process.GetCurrentProcess().TotalProcessorTime;

        public static CpuClock Start() => new();

        public double WallSeconds => _wall.Elapsed.TotalSeconds;

        public (double Wall, double Cpu) Rate(long items)
        {
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpu0).TotalSeconds;
            return (items / _wall.Elapsed.TotalSeconds, items / cpu);
        }
    }
}
