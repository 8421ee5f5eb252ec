using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Weights;

/// <summary>
/// torch.save files written by PyTorch 1.13 (tools/pytorch-checkpoint-fixtures/make_fixtures.py), each compared with
/// the same tensors written independently as safetensors.
/// </summary>
public sealed class PyTorchCheckpointTests
{
    private const string Marker = "/tmp/mlnetext-pickle-was-executed";

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Weights", "PyTorchFixtures", name);

    private static void AssertSameAsExpected(WeightSet read, string fixture)
    {
        using var expected = SafeTensors.Load(Fixture(fixture + ".expected.safetensors"));
        Assert.Equal(expected.Keys, read.Keys);
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.dtype, read[name].dtype);
            Assert.Equal(tensor.shape, read[name].shape);
            Assert.True(TensorEquality.Same(tensor, read[name]), name);
        }
    }

    [Theory]
    [InlineData("resnet18_subset.pth")]
    [InlineData("resnet18_subset_legacy.pth")]
    [InlineData("views.bin")]
    public void Torch_save_file_reads_with_the_values_PyTorch_wrote(string fixture)
    {
        Assert.Equal(WeightFileFormat.PyTorchPickle, WeightFile.FormatOf(Fixture(fixture)));

        using var read = WeightFile.Read(Fixture(fixture));

        AssertSameAsExpected(read, fixture);
    }

    [Fact]
    public void Views_of_one_storage_share_memory_instead_of_copying_it()
    {
        using var read = PyTorchCheckpoint.Load(Fixture("views.bin"));

        Assert.Equal(new long[] { 2, 6 }, read["rows"].shape);
        Assert.Equal(6f, read["rows"][0, 0].item<float>());
        Assert.Equal(new long[] { 6, 4 }, read["transposed"].shape);
        Assert.Equal(new long[] { 1, 6 }, read["transposed"].stride());
        using (var two = torch.tensor(2f))
        {
            read["whole"].mul_(two);
        }

        Assert.Equal(2f * 13, read["transposed"][1, 2].item<float>()); // the transposed view sees the change: one buffer
        Assert.Equal(ScalarType.Float16, read["half"].dtype);
    }

    [Fact]
    public void Training_checkpoint_with_a_state_dict_entry_is_unwrapped()
    {
        using var read = WeightFile.Read(Fixture("checkpoint.pth"));

        AssertSameAsExpected(read, "checkpoint.pth");
    }

    [Fact]
    public void Torchvision_resnet18_state_dict_loads_into_the_resnet18_backbone()
    {
        using var network = BackboneRegistry.Create("resnet18", new BackboneOptions());
        using var expected = SafeTensors.Load(Fixture("resnet18_subset.pth.expected.safetensors"));

        var report = network.LoadWeights(Fixture("resnet18_subset.pth"), new WeightLoadOptions { Strict = false });

        Assert.Equal(expected.Keys.Order(), report.LoadedKeys.Order());
        Assert.Empty(report.UnexpectedKeys);
        Assert.Empty(report.ShapeMismatches);
        var state = network.state_dict();
        foreach (var (name, tensor) in expected)
        {
            Assert.True(TensorEquality.Same(tensor, state[name]), name);
        }
    }

    [Theory]
    [InlineData("malicious_system.pth", "posix.system")]
    [InlineData("malicious_eval_legacy.pth", "__builtin__.eval")] // protocol 2 names Python 3 builtins as Python 2 did
    public void Checkpoint_whose_pickle_runs_a_command_is_refused_and_nothing_runs(string fixture, string global)
    {
        File.Delete(Marker);

        var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(Fixture(fixture)));

        Assert.Contains(fixture, ex.Message);
        Assert.Contains($"'{global}'", ex.Message);
        Assert.Contains("never runs code", ex.Message);
        Assert.False(File.Exists(Marker), "the file's payload ran");
    }

    [Fact]
    public void Whole_pickled_module_is_refused_with_state_dict_advice()
    {
        var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(Fixture("whole_module.pth")));

        Assert.Contains("whole_module.pth", ex.Message);
        Assert.Contains("torch.nn.modules.linear", ex.Message);
        Assert.Contains("state_dict()", ex.Message);
    }

    [Fact]
    public void Truncated_checkpoint_is_invalid_data_naming_the_file()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixture("resnet18_subset_legacy.pth"));
        foreach (int length in new[] { bytes.Length - 100, 400, 10 })
        {
            var path = dir.File($"cut{length}.pth");
            File.WriteAllBytes(path, bytes[..length]);

            var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(path));

            Assert.Contains($"cut{length}.pth", ex.Message);
        }
    }

    /// <summary>A torch.save-style zip whose data.pkl is <paramref name="pickle"/> and whose storage 0 holds <paramref name="storageBytes"/>.</summary>
    private static string Zip(TempDirectory dir, string name, byte[] pickle, int storageBytes, CompressionLevel level = CompressionLevel.NoCompression)
    {
        var path = dir.File(name);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var s = archive.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open())
        {
            s.Write(pickle);
        }

        using (var s = archive.CreateEntry("archive/data/0", level).Open())
        {
            s.Write(new byte[storageBytes]);
        }

        return path;
    }

    /// <summary>The pickle of <c>{'w': _rebuild_tensor_v2(storage('0', FloatStorage, elements), offset, size, stride, False, OrderedDict())}</c>.</summary>
    private static byte[] TensorPickle(long elements, long offset, long[] size, long[] stride, string storageType = "FloatStorage")
    {
        var p = new List<byte> { 0x80, 2, (byte)'}', (byte)'(' };
        void Str(string s)
        {
            var b = Encoding.UTF8.GetBytes(s);
            p.Add((byte)'X');
            p.AddRange(BitConverter.GetBytes(b.Length));
            p.AddRange(b);
        }

        void Int(long v)
        {
            p.Add(0x8A);
            p.Add(8);
            p.AddRange(BitConverter.GetBytes(v));
        }

        void Global(string module, string name) => p.AddRange(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));
        Str("w");
        Global("torch._utils", "_rebuild_tensor_v2");
        p.Add((byte)'(');
        p.Add((byte)'(');
        Str("storage");
        Global("torch", storageType);
        Str("0");
        Str("cpu");
        Int(elements);
        p.Add((byte)'t');
        p.Add((byte)'Q');
        Int(offset);
        p.Add((byte)'(');
        foreach (var d in size)
        {
            Int(d);
        }

        p.Add((byte)'t');
        p.Add((byte)'(');
        foreach (var d in stride)
        {
            Int(d);
        }

        p.Add((byte)'t');
        p.Add(0x89);
        Global("collections", "OrderedDict");
        p.Add((byte)')');
        p.Add((byte)'R');
        p.Add((byte)'t');
        p.Add((byte)'R');
        p.Add((byte)'u');
        p.Add((byte)'.');
        return p.ToArray();
    }

    [Fact]
    public void Hand_built_tensor_pickle_reads()
    {
        using var dir = new TempDirectory();
        var path = Zip(dir, "ok.pth", TensorPickle(6, 0, new long[] { 2, 3 }, new long[] { 3, 1 }), 24);

        using var read = WeightFile.Read(path);

        Assert.Equal(new long[] { 2, 3 }, read["w"].shape);
    }

    [Theory]
    [InlineData(6, 1, new long[] { 2, 3 }, new long[] { 3, 1 }, "reaches element")]
    [InlineData(6, 0, new long[] { 2, 3 }, new long[] { 4, 1 }, "reaches element")]
    [InlineData(6, 0, new long[] { 1L << 40, 1L << 40, 1L << 40 }, new long[] { 0, 0, 0 }, "overflows")]
    [InlineData(6, 0, new long[] { 2, -3 }, new long[] { 3, 1 }, "negative")]
    [InlineData(6, 0, new long[] { 2, 3 }, new long[] { 3, -1 }, "impossible layout")]
    public void Tensor_outside_its_storage_is_refused_naming_file_and_tensor(long elements, long offset, long[] size, long[] stride, string problem)
    {
        using var dir = new TempDirectory();
        var path = Zip(dir, "bad-view.pth", TensorPickle(elements, offset, size, stride), (int)elements * 4);

        var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(path));

        Assert.Contains("bad-view.pth", ex.Message);
        Assert.Contains("'w'", ex.Message);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void Storage_that_claims_more_bytes_than_the_archive_holds_is_refused()
    {
        using var dir = new TempDirectory();
        var path = Zip(dir, "short.pth", TensorPickle(1L << 30, 0, new long[] { 1L << 30 }, new long[] { 1 }), 64);

        var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(path));

        Assert.Contains("short.pth", ex.Message);
        Assert.Contains("'w'", ex.Message);
    }

    [Fact]
    public void Compressed_storage_is_refused_because_it_could_expand_beyond_the_file()
    {
        using var dir = new TempDirectory();
        var path = Zip(dir, "deflated.pth", TensorPickle(1 << 20, 0, new long[] { 1 << 20 }, new long[] { 1 }), 4 << 20, CompressionLevel.Optimal);

        var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(path));

        Assert.Contains("deflated.pth", ex.Message);
        Assert.Contains("compressed", ex.Message);
        Assert.True(new FileInfo(path).Length < 100_000);
    }

    [Fact]
    public void Unsupported_storage_dtype_is_invalid_data_naming_file_and_tensor()
    {
        using var dir = new TempDirectory();
        var path = Zip(dir, "complex.pth", TensorPickle(3, 0, new long[] { 3 }, new long[] { 1 }, "ComplexFloatStorage"), 24);

        var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(path));

        Assert.Contains("complex.pth", ex.Message);
        Assert.Contains("'w'", ex.Message);
        Assert.Contains("ComplexFloatStorage", ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 2, (byte)'i', (byte)'o', (byte)'s', 10, (byte)'s', (byte)'y', (byte)'s', (byte)'t', (byte)'e', (byte)'m', 10, (byte)'.' }, "opcode 0x69")]
    [InlineData(new byte[] { 0x80, 2, (byte)'c', (byte)'b', (byte)'u', (byte)'i', (byte)'l', (byte)'t', (byte)'i', (byte)'n', (byte)'s', 10, (byte)'g', (byte)'e', (byte)'t', (byte)'a', (byte)'t', (byte)'t', (byte)'r', 10, (byte)'.' }, "'builtins.getattr'")]
    [InlineData(new byte[] { 0x80, 4, 0x8C, 2, (byte)'o', (byte)'s', 0x8C, 6, (byte)'s', (byte)'y', (byte)'s', (byte)'t', (byte)'e', (byte)'m', 0x93, (byte)'.' }, "'os.system'")]
    [InlineData(new byte[] { 0x80, 2, (byte)'}', 0x81, (byte)'.' }, "opcode 0x81")]
    public void Pickle_opcodes_and_globals_outside_the_state_dict_subset_are_refused(byte[] pickle, string named)
    {
        using var dir = new TempDirectory();
        var path = Zip(dir, "hostile.pth", pickle, 0);

        var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(path));

        Assert.Contains("hostile.pth", ex.Message);
        Assert.Contains(named, ex.Message);
    }

    [Fact]
    public void MLNET_model_zip_is_recognised_and_refused_as_not_a_weight_file()
    {
        using var dir = new TempDirectory();
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { A = 1f } });
        var path = dir.File("model.zip");
        ml.Model.Save(ml.Transforms.CopyColumns("B", "A").Fit(data), data.Schema, path);

        Assert.Equal(WeightFileFormat.MlNetModel, WeightFile.FormatOf(path));
        var ex = Assert.Throws<NotSupportedException>(() => WeightFile.Read(path));
        Assert.Contains("model.zip", ex.Message);
        Assert.Contains("ML.NET model", ex.Message);
    }

    [Fact]
    public void Other_zip_archive_is_invalid_data_naming_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("photos.zip");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            archive.CreateEntry("a.txt");
        }

        Assert.Equal(WeightFileFormat.UnknownZip, WeightFile.FormatOf(path));
        Assert.Contains("photos.zip", Assert.Throws<InvalidDataException>(() => WeightFile.Read(path)).Message);
    }

    private sealed class Row
    {
        public float A { get; set; }
    }
}
