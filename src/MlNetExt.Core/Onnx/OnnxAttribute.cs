using System.Text;
using Google.Protobuf;
using MlNetExt.Core.Onnx.Protobuf;

namespace MlNetExt.Core.Onnx;

/// <summary>
/// An attribute of an ONNX node (for example <c>Conv</c>'s <c>strides</c>). Create one with the
/// static factories: <see cref="Int"/>, <see cref="Ints"/>, <see cref="Float"/>, <see cref="Floats"/>,
/// <see cref="String"/>, <see cref="Strings"/>.
/// </summary>
public sealed class OnnxAttribute
{
    private readonly AttributeProto _proto;

    private OnnxAttribute(AttributeProto proto) => _proto = proto;

    /// <summary>The attribute's name as the operator defines it.</summary>
    public string Name => _proto.Name;

    /// <summary>An integer attribute.</summary>
    /// <param name="name">Attribute name.</param>
    /// <param name="v">Value.</param>
    public static OnnxAttribute Int(string name, long v)
        => new(new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Int, I = v });

    /// <summary>A list-of-integers attribute.</summary>
    /// <param name="name">Attribute name.</param>
    /// <param name="v">Values.</param>
    public static OnnxAttribute Ints(string name, params long[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var proto = new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Ints };
        proto.Ints.AddRange(v);
        return new OnnxAttribute(proto);
    }

    /// <summary>A float attribute.</summary>
    /// <param name="name">Attribute name.</param>
    /// <param name="v">Value.</param>
    public static OnnxAttribute Float(string name, float v)
        => new(new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Float, F = v });

    /// <summary>A list-of-floats attribute.</summary>
    /// <param name="name">Attribute name.</param>
    /// <param name="v">Values.</param>
    public static OnnxAttribute Floats(string name, params float[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var proto = new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Floats };
        proto.Floats.AddRange(v);
        return new OnnxAttribute(proto);
    }

    /// <summary>A string attribute (stored as UTF-8).</summary>
    /// <param name="name">Attribute name.</param>
    /// <param name="v">Value.</param>
    public static OnnxAttribute String(string name, string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(new AttributeProto
        {
            Name = CheckName(name),
            Type = AttributeProto.Types.AttributeType.String,
            S = ByteString.CopyFrom(v, Encoding.UTF8),
        });
    }

    /// <summary>A list-of-strings attribute (each stored as UTF-8).</summary>
    /// <param name="name">Attribute name.</param>
    /// <param name="v">Values.</param>
    public static OnnxAttribute Strings(string name, params string[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var proto = new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Strings };
        foreach (var s in v)
            proto.Strings.Add(ByteString.CopyFrom(s ?? throw new ArgumentException("Attribute strings cannot be null.", nameof(v)), Encoding.UTF8));
        return new OnnxAttribute(proto);
    }

    internal AttributeProto ToProto() => _proto.Clone();

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name;
    }
}
