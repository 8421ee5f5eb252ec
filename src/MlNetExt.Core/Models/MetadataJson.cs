using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlNetExt.Core.Models;

/// <summary>The JSON form of MlNetExt's ONNX metadata values: snake_case names, enums as their names, NaN and
/// infinities as "NaN" / "Infinity" / "-Infinity", nulls left out.</summary>
internal static class MetadataJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Serializes <paramref name="value"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Deserializes a value written by <see cref="Serialize{T}"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="key">The metadata key it came from, for the message.</param>
    /// <exception cref="InvalidDataException">The text is not valid JSON of the expected shape.</exception>
    public static T Deserialize<T>(string json, string key)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new InvalidDataException($"The ONNX metadata '{key}' is empty (null).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The ONNX metadata '{key}' is not valid: {e.Message}", e);
        }
    }
}
