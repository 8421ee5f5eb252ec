using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Vision.Weights;

namespace MlNetExt.Benchmarks;

/// <summary>
/// Peak memory and time of MlNetExt's readers on hostile files (issue 14), one case per process so that the peak
/// resident set (VmHWM, Linux) belongs to that case alone.
/// Cases: <c>safetensors</c>: a 4 MiB safetensors file whose 200 tensors all claim the same 4 MiB block;
/// <c>bomb-loadimages</c>: plain ML.NET LoadImages on a 25,000 x 25,000 PNG of under 100 bytes;
/// <c>bomb-checked</c>: the same file behind <c>mlContext.Data.CheckImageFiles</c>;
/// <c>truncated-loadimages</c>: plain LoadImages on a PNG cut in half.
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
                "bomb-loadimages" => LoadImage(folder, BombPng(25_000), "bomb.png", check: false),
                "bomb-checked" => LoadImage(folder, BombPng(25_000), "bomb.png", check: true),
                "truncated-loadimages" => LoadImage(folder, TruncatedPng(), "half.png", check: false),
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

    private static readonly List<string> Cases = new() { "safetensors", "bomb-loadimages", "bomb-checked", "truncated-loadimages" };

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private static int LoadImage(string folder, byte[] file, string name, bool check)
    {
        File.WriteAllBytes(Path.Combine(folder, name), file);
        var ml = new Microsoft.ML.MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = name } });
        if (check)
        {
            data = MlNetExt.ImageAugmentation.ImageFileCatalog.CheckImageFiles(ml.Data, data, "Path", folder);
        }

        var images = ml.Transforms.LoadImages("Image", folder, "Path").Fit(data).Transform(data);
        return Measure($"{(check ? "CheckImageFiles + " : "")}LoadImages on {name} ({file.Length} bytes)", () =>
        {
            var size = images.GetColumn<Microsoft.ML.Data.MLImage>("Image").Select(i => $"{i.Width} x {i.Height}").Single();
            return $"decoded {size}, no error";
        });
    }

    /// <summary>A complete PNG of under 100 bytes whose header claims <paramref name="side"/> x <paramref name="side"/> RGBA pixels.</summary>
    private static byte[] BombPng(uint side)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, side);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), side);
        ihdr[8] = 8;
        ihdr[9] = 6;
        byte[] emptyZlib = { 0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 };
        return new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }
            .Concat(PngChunk("IHDR", ihdr)).Concat(PngChunk("IDAT", emptyZlib)).Concat(PngChunk("IEND", Array.Empty<byte>())).ToArray();
    }

    private static byte[] PngChunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        uint crc = 0xFFFFFFFF;
        foreach (byte b in chunk.AsSpan(4, 4 + data.Length))
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), ~crc);
        return chunk;
    }

    /// <summary>A 640 x 480 noise PNG cut in half.</summary>
    private static byte[] TruncatedPng()
    {
        var random = new Random(1);
        var bgra = new byte[640 * 480 * 4];
        random.NextBytes(bgra);
        using var image = Microsoft.ML.Data.MLImage.CreateFromPixels(640, 480, Microsoft.ML.Data.MLPixelFormat.Bgra32, bgra);
        string temp = Path.GetTempFileName() + ".png";
        image.Save(temp);
        var bytes = File.ReadAllBytes(temp);
        File.Delete(temp);
        return bytes[..(bytes.Length / 2)];
    }

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
