using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using MlNetExt.Vision.Weights;

namespace MlNetExt.Benchmarks;

/// <summary>
/// Peak memory and time of MlNetExt's readers on hostile files (issue 14), one case per process so that the peak
/// resident set (VmHWM, Linux) belongs to that case alone.
/// Cases: <c>safetensors</c>: a 4 MiB safetensors file whose 200 tensors all claim the same 4 MiB block.
/// Run: dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- hostile safetensors
/// </summary>
public static partial class HostileInputBenchmark
{
    public static int Run(string[] args)
    {
        string which = args.Length > 0 ? args[0] : "safetensors";
        string folder = Path.Combine(Path.GetTempPath(), "mlnetext-hostile-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        try
        {
            return which switch
            {
                "safetensors" => SafeTensorsAmplification(folder),
                _ => Unknown(which),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Unknown(string which)
    {
        Console.Error.WriteLine($"unknown case '{which}'; cases: {string.Join(", ", Cases)}");
        return 2;
    }

    private static readonly List<string> Cases = new() { "safetensors" };

    private static int SafeTensorsAmplification(string folder)
    {
        const int blockBytes = 4 << 20;
        const int tensors = 200;
        string header = "{" + string.Join(",", Enumerable.Range(0, tensors).Select(i =>
            $"\"t{i}\":{{\"dtype\":\"F32\",\"shape\":[{blockBytes / 4}],\"data_offsets\":[0,{blockBytes}]}}")) + "}";
        var headerBytes = Encoding.UTF8.GetBytes(header);
        string path = Path.Combine(folder, "amplify.safetensors");
        using (var file = File.Create(path))
        {
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
            file.Write(length);
            file.Write(headerBytes);
            file.Write(new byte[blockBytes]);
        }

        return Measure($"safetensors: {new FileInfo(path).Length / 1048576.0:F1} MiB file, {tensors} tensors on one 4 MiB block", () =>
        {
            using var set = SafeTensors.Load(path);
            return $"loaded {set.Count} tensors";
        });
    }

    /// <summary>Runs <paramref name="action"/>; prints its outcome (or exception), wall time and the peak RSS before and after.</summary>
    private static int Measure(string title, Func<string> action)
    {
        // Load the native libraries first so that the baseline includes them.
        using (var warm = TorchSharp.torch.zeros(1))
        {
        }

        long before = PeakResidentBytes();
        var clock = Stopwatch.StartNew();
        string outcome;
        try
        {
            outcome = action();
        }
        catch (Exception ex)
        {
            outcome = $"{ex.GetType().Name}: {ex.Message}";
        }

        clock.Stop();
        long after = PeakResidentBytes();
        Console.WriteLine(title);
        Console.WriteLine($"  outcome: {(outcome.Length > 300 ? outcome[..300] + "..." : outcome)}");
        Console.WriteLine($"  time {clock.Elapsed.TotalSeconds:F2} s; peak RSS before {before / 1048576.0:N0} MiB, after {after / 1048576.0:N0} MiB (+{(after - before) / 1048576.0:N0} MiB)");
        return 0;
    }

    /// <summary>VmHWM of this process (peak resident set), or 0 where /proc is not available.</summary>
    private static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return 0;
        }

        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
