using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Weights;

/// <summary>
/// Reads the initializers (named weight tensors) of an ONNX model: <c>ModelProto.graph</c> (field 7) →
/// <c>GraphProto.initializer</c> (field 5) → <c>TensorProto</c> dims (1), data_type (2), float_data (4),
/// int32_data (5), int64_data (7), name (8), raw_data (9), double_data (10). A minimal protobuf reader: nothing
/// else of the model is interpreted. Externally stored tensors are rejected.
/// </summary>
public static class OnnxInitializerReader
{
    private const int FloatType = 1, UInt8Type = 2, Int8Type = 3, Int32Type = 6, Int64Type = 7, Float16Type = 10, DoubleType = 11, BFloat16Type = 16;

    /// <summary>Reads the initializers of the ONNX model file <paramref name="path"/>.</summary>
    public static WeightSet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Load(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads the initializers of an ONNX model held in memory.</summary>
    public static WeightSet Load(byte[] model, string sourceName = "ONNX model")
    {
        ArgumentNullException.ThrowIfNull(model);
        var set = new WeightSet();
        try
        {
            var input = new CodedInputStream(model);
            bool sawGraph = false;
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == 7 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    sawGraph = true;
                    ReadGraph(input.ReadBytes(), set, sourceName);
                }
                else
                {
                    input.SkipLastField();
                }
            }

            if (!sawGraph)
            {
                throw new InvalidDataException($"'{sourceName}' is not an ONNX model: it has no graph.");
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            set.Dispose();
            throw new InvalidDataException($"'{sourceName}' is not a valid ONNX model ({ex.Message}).", ex);
        }
        catch
        {
            set.Dispose();
            throw;
        }

        return set;
    }

    private static void ReadGraph(ByteString graph, WeightSet set, string sourceName)
    {
        var input = graph.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 5 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var (name, tensor) = ReadTensor(input.ReadBytes(), sourceName);
                set.Add(name, tensor);
            }
            else
            {
                input.SkipLastField();
            }
        }
    }

    private static (string, Tensor) ReadTensor(ByteString bytes, string sourceName)
    {
        var input = bytes.CreateCodedInput();
        var dims = new List<long>();
        var floats = new List<float>();
        var ints = new List<int>();
        var longs = new List<long>();
        var doubles = new List<double>();
        int dataType = 0;
        string name = "";
        ByteString? raw = null;
        bool external = false;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            bool packed = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
            switch (field)
            {
                case 1: ReadRepeated(input, packed, s => dims.Add(s.ReadInt64())); break;
                case 2: dataType = input.ReadInt32(); break;
                case 4: ReadRepeated(input, packed, s => floats.Add(s.ReadFloat())); break;
                case 5: ReadRepeated(input, packed, s => ints.Add(s.ReadInt32())); break;
                case 7: ReadRepeated(input, packed, s => longs.Add(s.ReadInt64())); break;
                case 8: name = input.ReadString(); break;
                case 9: raw = input.ReadBytes(); break;
                case 10: ReadRepeated(input, packed, s => doubles.Add(s.ReadDouble())); break;
                case 14: external = input.ReadInt32() == 1; break;
                default: input.SkipLastField(); break;
            }
        }

        if (external)
        {
            throw new NotSupportedException($"'{sourceName}': initializer '{name}' is stored in an external data file, which is not supported.");
        }

        var shape = dims.ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        ScalarType type = dataType switch
        {
            FloatType => ScalarType.Float32,
            DoubleType => ScalarType.Float64,
            Int64Type => ScalarType.Int64,
            Int32Type => ScalarType.Int32,
            UInt8Type => ScalarType.Byte,
            Int8Type => ScalarType.Int8,
            Float16Type => ScalarType.Float16,
            BFloat16Type => ScalarType.BFloat16,
            _ => throw new NotSupportedException($"'{sourceName}': initializer '{name}' has unsupported ONNX data type {dataType}."),
        };

        Tensor tensor;
        if (raw is not null)
        {
            if (raw.Length != count * SafeTensorsDType.ElementSize(type))
            {
                throw new InvalidDataException($"'{sourceName}': initializer '{name}' has {raw.Length} raw bytes for shape {SafeTensors.Describe(shape)}.");
            }

            tensor = torch.empty(shape, type);
            if (count > 0)
            {
                tensor.bytes = raw.ToByteArray();
            }
        }
        else
        {
            tensor = type switch
            {
                ScalarType.Float32 => FromValues(floats.ToArray(), shape, name, sourceName),
                ScalarType.Float64 => FromValues(doubles.ToArray(), shape, name, sourceName),
                ScalarType.Int64 => FromValues(longs.ToArray(), shape, name, sourceName),
                ScalarType.Int32 => FromValues(ints.ToArray(), shape, name, sourceName),
                ScalarType.Float16 or ScalarType.BFloat16 => BitsFromInt32(ints, shape, type, name, sourceName),
                _ => BytesFromInt32(ints, shape, type, name, sourceName),
            };
        }

        return (name, tensor);
    }

    private static Tensor FromValues(float[] values, long[] shape, string name, string sourceName)
    {
        CheckCount(values.Length, shape, name, sourceName);
        return torch.tensor(values, shape);
    }

    private static Tensor FromValues(double[] values, long[] shape, string name, string sourceName)
    {
        CheckCount(values.Length, shape, name, sourceName);
        return torch.tensor(values, shape);
    }

    private static Tensor FromValues(long[] values, long[] shape, string name, string sourceName)
    {
        CheckCount(values.Length, shape, name, sourceName);
        return torch.tensor(values, shape);
    }

    private static Tensor FromValues(int[] values, long[] shape, string name, string sourceName)
    {
        CheckCount(values.Length, shape, name, sourceName);
        return torch.tensor(values, shape);
    }

    private static Tensor BitsFromInt32(List<int> values, long[] shape, ScalarType type, string name, string sourceName)
    {
        CheckCount(values.Count, shape, name, sourceName);
        var bytes = new byte[values.Count * 2];
        for (int i = 0; i < values.Count; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)values[i]);
        }

        var tensor = torch.empty(shape, type);
        if (bytes.Length > 0)
        {
            tensor.bytes = bytes;
        }

        return tensor;
    }

    private static Tensor BytesFromInt32(List<int> values, long[] shape, ScalarType type, string name, string sourceName)
    {
        CheckCount(values.Count, shape, name, sourceName);
        var bytes = values.Select(v => unchecked((byte)v)).ToArray();
        var tensor = torch.empty(shape, type);
        if (bytes.Length > 0)
        {
            tensor.bytes = bytes;
        }

        return tensor;
    }

    private static void CheckCount(long found, long[] shape, string name, string sourceName)
    {
        long expected = shape.Aggregate(1L, (a, b) => a * b);
        if (found != expected)
        {
            throw new InvalidDataException($"'{sourceName}': initializer '{name}' has {found} values for shape {SafeTensors.Describe(shape)}.");
        }
    }

    private static void ReadRepeated(CodedInputStream input, bool packed, Action<CodedInputStream> readOne)
    {
        if (!packed)
        {
            readOne(input);
            return;
        }

        var inner = input.ReadBytes().CreateCodedInput();
        while (!inner.IsAtEnd)
        {
            readOne(inner);
        }
    }
}
