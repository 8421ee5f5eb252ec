using MlNetExt.Core.IO;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Weights;

/// <summary>
/// Reader and writer of TorchSharp's own state-dict format (what <c>module.save(path)</c> writes and
/// <c>module.load(path)</c> reads): a 7-bit-encoded entry count, then per entry a length-prefixed UTF-8 name, the
/// 7-bit-encoded scalar type, rank and dims, and the raw tensor bytes. Reading needs no module, so the names and
/// shapes can be checked and reported before anything is copied.
/// </summary>
public static class TorchSharpStateDictFile
{
    /// <summary>Reads all tensors of a TorchSharp <c>.dat</c> state dict.</summary>
    public static WeightSet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        long length = stream.Length;
        var set = new WeightSet();
        try
        {
            long count = Decode(reader, path);
            if (count < 0 || count > 1_000_000)
            {
                throw new InvalidDataException($"'{path}' is not a TorchSharp state dict: entry count {count} is impossible.");
            }

            for (long i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                long typeCode = Decode(reader, path);
                var type = (ScalarType)typeCode;
                if (typeCode < 0 || typeCode > int.MaxValue || !SafeTensorsDType.TryElementSize(type, out int elementSize))
                {
                    throw new InvalidDataException($"'{path}': tensor '{name}' has dtype code {typeCode}, which is not a supported tensor type.");
                }

                long rank = Decode(reader, path);
                if (rank < 0 || rank > 16)
                {
                    throw new InvalidDataException($"'{path}': tensor '{name}' has impossible rank {rank}.");
                }

                var shape = new long[rank];
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = Decode(reader, path);
                }

                long bytes = SafeTensors.ByteSize(shape, elementSize, path, name);
                if (bytes > length - stream.Position)
                {
                    throw new InvalidDataException($"'{path}': tensor '{name}' {SafeTensors.Describe(shape)} runs past the end of the file.");
                }

                var tensor = torch.empty(shape, type);
                set.Add(name, tensor);
                if (bytes > 0)
                {
                    stream.ReadExactly(tensor.bytes);
                }
            }
        }
        catch (EndOfStreamException ex)
        {
            set.Dispose();
            throw new InvalidDataException($"'{path}' is truncated or not a TorchSharp state dict.", ex);
        }
        catch
        {
            set.Dispose();
            throw;
        }

        return set;
    }

    /// <summary>Writes <paramref name="tensors"/> in TorchSharp's format (temporary file, then rename).</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            Encode(writer, list.Count);
            foreach (var (name, tensor) in list)
            {
                using var scope = torch.NewDisposeScope();
                var t = tensor.detach().cpu().contiguous();
                writer.Write(name);
                Encode(writer, (long)t.dtype);
                Encode(writer, t.shape.Length);
                foreach (var d in t.shape)
                {
                    Encode(writer, d);
                }

                if (t.numel() > 0)
                {
                    writer.Write(t.bytes);
                }
            }
        });
    }

    private static long Decode(BinaryReader reader, string path)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException($"'{path}' is not a TorchSharp state dict: bad variable-length integer.");
    }

    private static void Encode(BinaryWriter writer, long value)
    {
        ulong v = (ulong)value;
        while (v >= 0x80)
        {
            writer.Write((byte)(v | 0x80));
            v >>= 7;
        }

        writer.Write((byte)v);
    }
}
