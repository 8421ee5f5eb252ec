using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using MlNetExt.Core.Onnx.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Core.Onnx;

/// <summary>Turns TorchSharp tensors and .NET arrays into ONNX <c>TensorProto</c> messages.</summary>
internal static class OnnxTensorEncoding
{
    /// <summary>Copies a tensor to CPU, contiguous, as little-endian <c>raw_data</c>.</summary>
    public static TensorProto FromTorch(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (dataType, elementSize) = tensor.dtype switch
        {
            ScalarType.Float32 => (OnnxDataType.Float, 4),
            ScalarType.Float64 => (OnnxDataType.Double, 8),
            ScalarType.Int64 => (OnnxDataType.Int64, 8),
            ScalarType.Byte => (OnnxDataType.UInt8, 1),
            _ => throw new NotSupportedException(
                $"Initializer '{name}' has element type {tensor.dtype}; the ONNX writer supports Float32, Float64, Int64 and Byte."),
        };

        using var scope = torch.NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        byte[] bytes = cpu.bytes.ToArray();
        if (!BitConverter.IsLittleEndian)
            ReverseEachElement(bytes, elementSize);

        var proto = new TensorProto { Name = name, DataType = (int)dataType, RawData = UnsafeByteOperations.UnsafeWrap(bytes) };
        proto.Dims.AddRange(cpu.shape);
        return proto;
    }

    /// <summary>A float32 tensor from values in row-major order.</summary>
    public static TensorProto FromFloats(string name, float[] values, long[] dims)
    {
        CheckCount(name, values.Length, dims);
        var proto = new TensorProto { Name = name, DataType = (int)OnnxDataType.Float, RawData = ToLittleEndian<float>(values, 4) };
        proto.Dims.AddRange(dims);
        return proto;
    }

    /// <summary>An int64 tensor from values in row-major order.</summary>
    public static TensorProto FromInt64s(string name, long[] values, long[] dims)
    {
        CheckCount(name, values.Length, dims);
        var proto = new TensorProto { Name = name, DataType = (int)OnnxDataType.Int64, RawData = ToLittleEndian<long>(values, 8) };
        proto.Dims.AddRange(dims);
        return proto;
    }

    /// <summary>A string tensor (ONNX stores strings in <c>string_data</c>, never in <c>raw_data</c>).</summary>
    public static TensorProto FromStrings(string name, string[] values, long[] dims)
    {
        CheckCount(name, values.Length, dims);
        var proto = new TensorProto { Name = name, DataType = (int)OnnxDataType.String };
        foreach (var value in values)
            proto.StringData.Add(ByteString.CopyFrom(value ?? throw new ArgumentException($"Constant '{name}' contains a null string."), Encoding.UTF8));
        proto.Dims.AddRange(dims);
        return proto;
    }

    private static ByteString ToLittleEndian<T>(T[] values, int elementSize) where T : unmanaged
    {
        byte[] bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
            ReverseEachElement(bytes, elementSize);
        return UnsafeByteOperations.UnsafeWrap(bytes);   // the array is ours alone: no second copy
    }

    private static void ReverseEachElement(byte[] bytes, int elementSize)
    {
        if (elementSize == 1)
            return;
        for (int i = 0; i < bytes.Length; i += elementSize)
            Array.Reverse(bytes, i, elementSize);
    }

    private static void CheckCount(string name, int count, long[] dims)
    {
        long expected = 1;
        foreach (var d in dims)
        {
            if (d < 0)
                throw new ArgumentException($"Constant '{name}' has a negative dimension ({d}).", nameof(dims));
            expected *= d;
        }
        if (expected != count)
            throw new ArgumentException(
                $"Constant '{name}' has {count} values but its shape [{string.Join(", ", dims)}] holds {expected}.", nameof(dims));
    }
}
