using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Weights;

public sealed class SafeTensorsTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 0.0)]
    [InlineData(ScalarType.Float16, 1e-3)]
    [InlineData(ScalarType.BFloat16, 8e-3)]
    [InlineData(ScalarType.Float64, 0.0)]
    public void Round_trip_keeps_values_within_dtype_precision(ScalarType storeAs, double relativeTolerance)
    {
        using var dir = new TempDirectory();
        torch.manual_seed(7);
        using var a = torch.randn(3, 5) * 10;
        using var b = torch.rand(7) + 0.1;
        using var counter = torch.tensor(42L);
        var path = dir.File("w.safetensors");

        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["layer.a"] = a, ["b"] = b, ["bn.num_batches_tracked"] = counter },
            new Dictionary<string, string> { ["format"] = "pt", ["source"] = "unit test" }, storeAs);
        using var read = SafeTensors.Load(path);

        Assert.Equal(new[] { "layer.a", "b", "bn.num_batches_tracked" }, read.Keys);
        Assert.Equal(storeAs, read["layer.a"].dtype);
        Assert.Equal(ScalarType.Int64, read["bn.num_batches_tracked"].dtype);
        Assert.Equal(42L, read["bn.num_batches_tracked"].item<long>());
        Assert.Equal(new long[] { 3, 5 }, read["layer.a"].shape);
        Assert.Equal("unit test", read.Metadata["source"]);
        foreach (var (name, original) in new[] { ("layer.a", a), ("b", b) })
        {
            using var back = read[name].to_type(ScalarType.Float32);
            double error = (back - original).abs().div(original.abs()).max().item<float>();
            Assert.True(error <= relativeTolerance, $"{name}: relative error {error} > {relativeTolerance}");
            if (relativeTolerance > 0)
            {
                Assert.True(error > 0, "a reduced-precision dtype should not be bit-exact on random data");
            }
        }
    }

    [Fact]
    public void Writer_follows_the_file_layout()
    {
        using var dir = new TempDirectory();
        var path = dir.File("layout.safetensors");
        using var t = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);

        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["x"] = t });
        var bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));
        var entry = header.RootElement.GetProperty("x");

        Assert.Equal(0, (8 + headerLength) % 8);
        Assert.Equal("F32", entry.GetProperty("dtype").GetString());
        Assert.Equal(new long[] { 2, 3 }, entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(new long[] { 0, 24 }, entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(8 + headerLength + 24, bytes.Length);
        Assert.Equal(3f, BitConverter.ToSingle(bytes, (int)(8 + headerLength) + 8));
    }

    [Fact]
    public void Reader_decodes_a_hand_written_file_with_half_precision()
    {
        using var dir = new TempDirectory();
        var path = dir.File("hand.safetensors");
        // F16 1.0 = 0x3C00, -2.0 = 0xC000; BF16 1.0 = 0x3F80, 0.5 = 0x3F00; I64 7.
        string json = "{\"__metadata__\":{\"k\":\"v\"},\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[4,8]},\"i\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        var header = Encoding.UTF8.GetBytes(json);
        var data = new byte[] { 0x00, 0x3C, 0x00, 0xC0, 0x80, 0x3F, 0x00, 0x3F, 7, 0, 0, 0, 0, 0, 0, 0 };
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        File.WriteAllBytes(path, file);

        using var read = SafeTensors.Load(path);

        Assert.Equal(new[] { 1f, -2f }, read["h"].to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(new[] { 1f, 0.5f }, read["b"].to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(new long[] { 1, 2 }, read["b"].shape);
        Assert.Equal(7L, read["i"].item<long>());
        Assert.Equal("v", read.Metadata["k"]);
    }

    [Fact]
    public void Truncated_file_is_rejected_with_its_name()
    {
        using var dir = new TempDirectory();
        var path = dir.File("cut.safetensors");
        using var t = torch.ones(100);
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["x"] = t });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^40]);

        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));

        Assert.Contains("cut.safetensors", ex.Message);
    }

    [Fact]
    public void Garbage_is_not_mistaken_for_safetensors()
    {
        using var dir = new TempDirectory();
        var path = dir.File("junk.safetensors");
        File.WriteAllText(path, "this is not a weight file at all");

        Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
    }
}
