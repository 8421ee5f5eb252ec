using System.Buffers.Binary;
using System.Text;
using MlNetExt.Vision.Weights;
using Xunit;

namespace MlNetExt.Vision.Tests.Weights;

/// <summary>Weight files crafted to exhaust memory or to crash the native library must fail with a clear error.</summary>
public sealed class HostileWeightFileTests
{
    private static string WriteSafeTensors(TempDirectory dir, string name, string headerJson, int dataBytes)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var file = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        var path = dir.File(name);
        File.WriteAllBytes(path, file);
        return path;
    }

    /// <summary>A 4 KiB data block claimed by <paramref name="count"/> tensors (the memory-amplification file, scaled down).</summary>
    internal static string SameBlockHeader(int count, int blockBytes) =>
        "{" + string.Join(",", Enumerable.Range(0, count).Select(i =>
            $"\"t{i}\":{{\"dtype\":\"F32\",\"shape\":[{blockBytes / 4}],\"data_offsets\":[0,{blockBytes}]}}")) + "}";

    [Fact]
    public void Safetensors_whose_tensors_share_one_block_is_rejected_naming_file_and_tensor()
    {
        using var dir = new TempDirectory();
        var path = WriteSafeTensors(dir, "amplify.safetensors", SameBlockHeader(20, 4096), 4096);

        var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(path));

        Assert.Contains("amplify.safetensors", ex.Message);
        Assert.Contains("overlaps", ex.Message);
        Assert.Matches("tensor 't[0-9]+'", ex.Message);
    }

    [Fact]
    public void Safetensors_with_a_gap_between_tensors_is_rejected()
    {
        using var dir = new TempDirectory();
        var path = WriteSafeTensors(dir, "gap.safetensors",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}", 24);

        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));

        Assert.Contains("gap.safetensors", ex.Message);
        Assert.Contains("'b'", ex.Message);
        Assert.Contains("gap", ex.Message);
    }

    [Fact]
    public void Safetensors_with_unread_bytes_after_the_last_tensor_is_rejected()
    {
        using var dir = new TempDirectory();
        var path = WriteSafeTensors(dir, "tail.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4096);

        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));

        Assert.Contains("tail.safetensors", ex.Message);
        Assert.Contains("4096", ex.Message);
    }

    [Fact]
    public void Safetensors_shape_whose_size_overflows_is_rejected_naming_file_and_tensor()
    {
        using var dir = new TempDirectory();
        // 2^40 * 2^40 * 4 bytes wraps to 0 in unchecked 64-bit arithmetic, matching data_offsets [0, 0].
        var path = WriteSafeTensors(dir, "overflow.safetensors",
            "{\"huge\":{\"dtype\":\"F32\",\"shape\":[1099511627776,1099511627776],\"data_offsets\":[0,0]}}", 0);

        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));

        Assert.Contains("overflow.safetensors", ex.Message);
        Assert.Contains("'huge'", ex.Message);
        Assert.Contains("overflows", ex.Message);
    }

    [Fact]
    public void Safetensors_unknown_dtype_is_invalid_data_naming_file_and_tensor()
    {
        using var dir = new TempDirectory();
        var path = WriteSafeTensors(dir, "dtype.safetensors", "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4);

        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));

        Assert.Contains("dtype.safetensors", ex.Message);
        Assert.Contains("'w'", ex.Message);
        Assert.Contains("F8_E4M3", ex.Message);
    }

    private static string WriteTorchSharpFile(TempDirectory dir, string name, long typeCode, params long[] shape)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            void Encode(long value)
            {
                ulong v = (ulong)value;
                while (v >= 0x80)
                {
                    writer.Write((byte)(v | 0x80));
                    v >>= 7;
                }

                writer.Write((byte)v);
            }

            Encode(1);
            writer.Write("layer.weight");
            Encode(typeCode);
            Encode(shape.Length);
            foreach (var d in shape)
            {
                Encode(d);
            }

            writer.Write(new byte[16]);
        }

        var path = dir.File(name);
        File.WriteAllBytes(path, buffer.ToArray());
        return path;
    }

    [Fact]
    public void TorchSharp_file_shape_whose_size_overflows_is_rejected_naming_file_and_tensor()
    {
        using var dir = new TempDirectory();
        var path = WriteTorchSharpFile(dir, "overflow.dat", 6 /* Float32 */, 1L << 40, 1L << 40);

        var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(path));

        Assert.Contains("overflow.dat", ex.Message);
        Assert.Contains("'layer.weight'", ex.Message);
    }

    [Fact]
    public void TorchSharp_file_unknown_dtype_is_invalid_data_naming_file_and_tensor()
    {
        using var dir = new TempDirectory();
        var path = WriteTorchSharpFile(dir, "dtype.dat", 99, 4);

        var ex = Assert.Throws<InvalidDataException>(() => WeightFile.Read(path));

        Assert.Contains("dtype.dat", ex.Message);
        Assert.Contains("'layer.weight'", ex.Message);
    }
}
