using System.Buffers.Binary;
using Google.Protobuf;
using MlNetExt.Core.Onnx.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Weights;

/// <summary>
/// Reads the initializers (named weight tensors) of an ONNX model with Core's ONNX protobuf classes, and the model's
/// <c>metadata_props</c> as <see cref="WeightSet.Metadata"/>. Numeric initializers become CPU tensors (float, double,
/// float16, bfloat16, int8/16/32/64, uint8, bool); string initializers (for example an image classifier's
/// <c>class_names</c>) are not weights and are skipped. Other data types, inconsistent sizes and shapes whose element
/// count overflows are rejected with an <see cref="InvalidDataException"/> that names the file and the initializer;
/// externally stored tensors with a <see cref="NotSupportedException"/>.
/// </summary>
public static class OnnxInitializerReader
{
    /// <summary>Reads the initializers of the ONNX model file <paramref name="path"/>.</summary>
    public static WeightSet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Load(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads the initializers of an ONNX model held in memory.</summary>
    /// <param name="model">The model's bytes.</param>
    /// <param name="sourceName">Names the model in error messages (usually its file).</param>
    public static WeightSet Load(byte[] model, string sourceName = "ONNX model")
    {
        ArgumentNullException.ThrowIfNull(model);
        return Load(Parse(model, sourceName), sourceName);
    }

    /// <summary>Reads the initializers of an already parsed ONNX model (see <see cref="Parse"/>).</summary>
    /// <param name="proto">The parsed model.</param>
    /// <param name="sourceName">Names the model in error messages.</param>
    internal static WeightSet Load(ModelProto proto, string sourceName)
    {
        var set = new WeightSet(Metadata(proto));
        try
        {
            foreach (var initializer in proto.Graph.Initializer)
            {
                var tensor = ToTensor(initializer, sourceName);
                if (tensor is not null)
                    set.Add(initializer.Name, tensor);
            }
        }
        catch
        {
            set.Dispose();
            throw;
        }

        return set;
    }

    /// <summary>Parses ONNX model bytes once, for <see cref="Metadata"/> and <see cref="Load(ModelProto, string)"/>.</summary>
    /// <param name="model">The model's bytes.</param>
    /// <param name="sourceName">Names the model in error messages.</param>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model with a graph.</exception>
    internal static ModelProto Parse(byte[] model, string sourceName)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{sourceName}' is not a valid ONNX model ({e.Message}).", e);
        }

        if (proto.Graph is null)
            throw new InvalidDataException($"'{sourceName}' is not an ONNX model: it has no graph.");
        return proto;
    }

    /// <summary>The parsed model's <c>metadata_props</c> (a repeated key keeps its last value).</summary>
    /// <param name="proto">The parsed model.</param>
    internal static Dictionary<string, string> Metadata(ModelProto proto)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in proto.MetadataProps)
            metadata[entry.Key] = entry.Value;
        return metadata;
    }

    /// <summary>The initializer as a CPU tensor, or null for a string initializer.</summary>
    private static Tensor? ToTensor(TensorProto proto, string sourceName)
    {
        string name = proto.Name;
        if (proto.DataType == (int)OnnxElementType.String)
            return null;
        if (proto.HasDataLocation && proto.DataLocation == TensorProto.Types.DataLocation.External || proto.ExternalData.Count > 0)
            throw new NotSupportedException($"'{sourceName}': initializer '{name}' is stored in an external data file, which is not supported.");

        var type = ScalarTypeOf(proto, sourceName);
        long[] shape = proto.Dims.ToArray();
        var (count, byteCount) = Sizes(shape, SafeTensorsDType.ElementSize(type), name, sourceName);
        if (proto.HasRawData)
        {
            if (proto.RawData.Length != byteCount)
                throw new InvalidDataException(
                    $"'{sourceName}': initializer '{name}' has {proto.RawData.Length} raw bytes for shape {SafeTensors.Describe(shape)} of {type}.");
            return FromBytes(proto.RawData.ToByteArray(), shape, type);
        }

        return type switch
        {
            ScalarType.Float32 => torch.tensor(Values(proto.FloatData, count, shape, name, sourceName), shape),
            ScalarType.Float64 => torch.tensor(Values(proto.DoubleData, count, shape, name, sourceName), shape),
            ScalarType.Int64 => torch.tensor(Values(proto.Int64Data, count, shape, name, sourceName), shape),
            ScalarType.Int32 => torch.tensor(Values(proto.Int32Data, count, shape, name, sourceName), shape),
            ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 =>
                FromBytes(TwoByteValues(Values(proto.Int32Data, count, shape, name, sourceName)), shape, type),
            _ => FromBytes(Values(proto.Int32Data, count, shape, name, sourceName).Select(v => unchecked((byte)v)).ToArray(), shape, type),
        };
    }

    private static ScalarType ScalarTypeOf(TensorProto proto, string sourceName) => (OnnxElementType)proto.DataType switch
    {
        OnnxElementType.Float => ScalarType.Float32,
        OnnxElementType.Double => ScalarType.Float64,
        OnnxElementType.Float16 => ScalarType.Float16,
        OnnxElementType.BFloat16 => ScalarType.BFloat16,
        OnnxElementType.Int64 => ScalarType.Int64,
        OnnxElementType.Int32 => ScalarType.Int32,
        OnnxElementType.Int16 => ScalarType.Int16,
        OnnxElementType.Int8 => ScalarType.Int8,
        OnnxElementType.UInt8 => ScalarType.Byte,
        OnnxElementType.Bool => ScalarType.Bool,
        var other => throw new InvalidDataException(
            $"'{sourceName}': initializer '{proto.Name}' has ONNX data type {proto.DataType}" +
            (Enum.IsDefined(other) ? $" ({other})" : " (unknown)") +
            ", which cannot be loaded as weights (supported: float, double, float16, bfloat16, int8/16/32/64, uint8, bool)."),
    };

    /// <summary>Element and byte counts of a shape, with checked arithmetic.</summary>
    private static (long Count, long Bytes) Sizes(long[] shape, int elementSize, string name, string sourceName)
    {
        if (shape.Any(d => d < 0))
            throw new InvalidDataException($"'{sourceName}': initializer '{name}' has a negative dimension in shape {SafeTensors.Describe(shape)}.");
        try
        {
            long count = 1;
            foreach (long d in shape)
                count = checked(count * d);
            return (count, checked(count * elementSize));
        }
        catch (OverflowException e)
        {
            throw new InvalidDataException(
                $"'{sourceName}': initializer '{name}' has shape {SafeTensors.Describe(shape)}, whose size overflows a 64-bit count.", e);
        }
    }

    private static T[] Values<T>(IList<T> values, long count, long[] shape, string name, string sourceName)
    {
        if (values.Count != count)
            throw new InvalidDataException($"'{sourceName}': initializer '{name}' has {values.Count} values for shape {SafeTensors.Describe(shape)}.");
        var array = new T[values.Count];
        values.CopyTo(array, 0);
        return array;
    }

    /// <summary>ONNX stores float16, bfloat16 and int16 values one per int32 (the low 16 bits).</summary>
    private static byte[] TwoByteValues(int[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), unchecked((ushort)values[i]));
        return bytes;
    }

    private static Tensor FromBytes(byte[] bytes, long[] shape, ScalarType type)
    {
        var tensor = torch.empty(shape, type);
        if (bytes.Length > 0)
            tensor.bytes = bytes;
        return tensor;
    }

    /// <summary>ONNX <c>TensorProto.DataType</c> values.</summary>
    private enum OnnxElementType
    {
        Float = 1,
        UInt8 = 2,
        Int8 = 3,
        UInt16 = 4,
        Int16 = 5,
        Int32 = 6,
        Int64 = 7,
        String = 8,
        Bool = 9,
        Float16 = 10,
        Double = 11,
        UInt32 = 12,
        UInt64 = 13,
        Complex64 = 14,
        Complex128 = 15,
        BFloat16 = 16,
    }
}
