using static TorchSharp.torch;

namespace MlNetExt.Vision.Weights;

/// <summary>Maps safetensors dtype strings (<c>F32</c>, <c>F16</c>, <c>BF16</c>, ...) to TorchSharp scalar types.</summary>
public static class SafeTensorsDType
{
    private static readonly (string Name, ScalarType Type, int Size)[] Table =
    {
        ("F64", ScalarType.Float64, 8), ("F32", ScalarType.Float32, 4), ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2), ("I64", ScalarType.Int64, 8), ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2), ("I8", ScalarType.Int8, 1), ("U8", ScalarType.Byte, 1), ("BOOL", ScalarType.Bool, 1),
    };

    /// <summary>The scalar type of safetensors dtype <paramref name="name"/>; throws for unsupported names.</summary>
    public static ScalarType ToScalarType(string name) =>
        TryToScalarType(name, out var type) ? type
            : throw new NotSupportedException($"safetensors dtype '{name}' is not supported; supported: {SupportedNames}.");

    /// <summary>The scalar type of safetensors dtype <paramref name="name"/>, if it is supported.</summary>
    public static bool TryToScalarType(string name, out ScalarType type)
    {
        foreach (var entry in Table)
        {
            if (entry.Name == name)
            {
                type = entry.Type;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>The supported dtype names, comma-separated (for error messages).</summary>
    internal static string SupportedNames => string.Join(", ", Table.Select(e => e.Name));

    /// <summary>The safetensors dtype string of <paramref name="type"/>; throws for unsupported types.</summary>
    public static string FromScalarType(ScalarType type)
    {
        foreach (var entry in Table)
        {
            if (entry.Type == type)
            {
                return entry.Name;
            }
        }

        throw new NotSupportedException($"Tensor dtype {type} cannot be stored in safetensors by this writer.");
    }

    /// <summary>Bytes per element of <paramref name="type"/>.</summary>
    public static int ElementSize(ScalarType type)
    {
        foreach (var entry in Table)
        {
            if (entry.Type == type)
            {
                return entry.Size;
            }
        }

        throw new NotSupportedException($"Tensor dtype {type} is not supported.");
    }

    /// <summary>Bytes per element of <paramref name="type"/>, if it is a supported dtype.</summary>
    internal static bool TryElementSize(ScalarType type, out int size)
    {
        foreach (var entry in Table)
        {
            if (entry.Type == type)
            {
                size = entry.Size;
                return true;
            }
        }

        size = 0;
        return false;
    }
}
