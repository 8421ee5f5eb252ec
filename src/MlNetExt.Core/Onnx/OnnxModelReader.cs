using System.Runtime.InteropServices;
using Google.Protobuf;
using MlNetExt.Core.Onnx.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Core.Onnx;

/// <summary>
/// Reads what MlNetExt needs back from an ONNX model: its metadata, the names of its inputs and outputs, and its
/// initializers (the exported weights, named by state_dict name). Uses Core's ONNX protobuf classes; fields it does not
/// know are kept by the parser and ignored.
/// </summary>
internal sealed class OnnxModelReader
{
    private readonly ModelProto _model;
    private readonly Dictionary<string, TensorProto> _initializers;

    private OnnxModelReader(ModelProto model)
    {
        _model = model;
        _initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var tensor in model.Graph?.Initializer ?? [])
            _initializers[tensor.Name] = tensor;
        Metadata = model.MetadataProps.GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
    }

    /// <summary>Parses ONNX model bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    public static OnnxModelReader Parse(byte[] onnxModel)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        try
        {
            var model = ModelProto.Parser.ParseFrom(onnxModel);
            if (model.Graph is null)
                throw new InvalidDataException("The ONNX model has no graph.");
            return new OnnxModelReader(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"The bytes are not a valid ONNX model: {e.Message}", e);
        }
    }

    /// <summary>The model's metadata (<c>metadata_props</c>); a repeated key keeps its last value.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The graph's input names, in order.</summary>
    public IReadOnlyList<string> InputNames => _model.Graph.Input.Select(i => i.Name).ToArray();

    /// <summary>The graph's output names, in order.</summary>
    public IReadOnlyList<string> OutputNames => _model.Graph.Output.Select(o => o.Name).ToArray();

    /// <summary>The initializer names.</summary>
    public IReadOnlyCollection<string> InitializerNames => _initializers.Keys;

    /// <summary>The initializer <paramref name="name"/> as a new CPU tensor (float32, float64 or int64), or null when
    /// there is none. The caller owns the tensor.</summary>
    public Tensor? ReadInitializer(string name)
    {
        if (!_initializers.TryGetValue(name, out var proto))
            return null;
        var dims = proto.Dims.ToArray();
        return (OnnxDataType)proto.DataType switch
        {
            OnnxDataType.Float => tensor(Values<float>(proto, p => p.FloatData), dims),
            OnnxDataType.Double => tensor(Values<double>(proto, p => p.DoubleData), dims),
            OnnxDataType.Int64 => tensor(Values<long>(proto, p => p.Int64Data), dims),
            _ => throw new NotSupportedException(
                $"Initializer '{name}' has ONNX element type {proto.DataType}; weights are read as float, double or int64."),
        };
    }

    private static T[] Values<T>(TensorProto proto, Func<TensorProto, IEnumerable<T>> typed) where T : unmanaged
    {
        if (proto.HasRawData)
        {
            var bytes = proto.RawData.ToByteArray();
            if (!BitConverter.IsLittleEndian)
            {
                int size = Marshal.SizeOf<T>();
                for (int i = 0; i < bytes.Length; i += size)
                    Array.Reverse(bytes, i, size);
            }
            return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
        }
        return typed(proto).ToArray();
    }
}
