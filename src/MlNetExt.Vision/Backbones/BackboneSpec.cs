using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// What it takes to rebuild a headless backbone: its registry name and its options (always without a classifier).
/// Written into an exported image classifier's ONNX metadata (<c>mlnetext.backbone.architecture</c>,
/// <c>mlnetext.backbone.options</c>: the options as JSON with the options type's property names), so the trained
/// network can become the backbone of a new classifier without restating it.
/// </summary>
internal sealed class BackboneSpec
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        IgnoreReadOnlyProperties = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A spec of <paramref name="architecture"/> with a copy of <paramref name="options"/> (null: the architecture's defaults).</summary>
    public BackboneSpec(string architecture, BackboneOptions? options)
    {
        if (!BackboneRegistry.Contains(architecture))
            throw new ArgumentException($"Unknown backbone '{architecture}'; known backbones: {string.Join(", ", BackboneRegistry.Names)}.", nameof(architecture));
        Architecture = architecture.ToLowerInvariant();
        var copy = options is null ? DefaultOptions(Architecture) : CopyAs(options, OptionsType(Architecture));
        copy.NumClasses = null;
        _options = copy;
    }

    private readonly BackboneOptions _options;

    /// <summary>Registry name.</summary>
    public string Architecture { get; }

    /// <summary>A fresh copy of the options (headless).</summary>
    public BackboneOptions Options
    {
        get
        {
            var copy = CopyAs(_options, _options.GetType());
            copy.NumClasses = null;   // the JSON leaves nulls out, so the copy starts with the type's default
            return copy;
        }
    }

    /// <summary>The options as JSON.</summary>
    public string OptionsJson => JsonSerializer.Serialize(_options, _options.GetType(), Json);

    /// <summary>Builds a fresh headless network.</summary>
    public BackboneNetwork Create() => BackboneRegistry.Create(Architecture, Options);

    /// <summary>Reads a spec written by <see cref="Architecture"/> and <see cref="OptionsJson"/>.</summary>
    /// <exception cref="InvalidDataException">The architecture is unknown or the options do not parse.</exception>
    public static BackboneSpec Parse(string architecture, string optionsJson, string source)
    {
        if (!BackboneRegistry.Contains(architecture))
            throw new InvalidDataException(
                $"'{source}' names backbone '{architecture}', which this version does not know (known: {string.Join(", ", BackboneRegistry.Names)}).");
        try
        {
            var options = (BackboneOptions?)JsonSerializer.Deserialize(optionsJson, OptionsType(architecture), Json)
                ?? throw new InvalidDataException($"'{source}': the backbone options are empty.");
            return new BackboneSpec(architecture, options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{source}': the backbone options '{optionsJson}' do not parse: {e.Message}", e);
        }
    }

    private static Type OptionsType(string architecture) => architecture.ToLowerInvariant() switch
    {
        "mobilenet_v2" => typeof(MobileNetV2Options),
        "small_cnn" => typeof(SmallCnnOptions),
        _ => typeof(BackboneOptions),
    };

    private static BackboneOptions DefaultOptions(string architecture) =>
        (BackboneOptions)Activator.CreateInstance(OptionsType(architecture))!;

    /// <summary>A deep copy of <paramref name="options"/> as <paramref name="type"/> (shared base properties when the types differ).</summary>
    private static BackboneOptions CopyAs(BackboneOptions options, Type type)
    {
        if (options.GetType() == type)
            return (BackboneOptions)JsonSerializer.Deserialize(JsonSerializer.Serialize(options, type, Json), type, Json)!;
        var copy = (BackboneOptions)Activator.CreateInstance(type)!;
        copy.NumClasses = options.NumClasses;
        copy.TruncateAfter = options.TruncateAfter;
        copy.InputChannels = options.InputChannels;
        return copy;
    }
}
