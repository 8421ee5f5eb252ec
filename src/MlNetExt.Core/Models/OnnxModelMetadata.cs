using System.Globalization;
using System.Reflection;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;

namespace MlNetExt.Core.Models;

/// <summary>
/// MlNetExt's one ONNX metadata scheme (docs/onnx-metadata.md): the keys every exported graph carries, written by
/// <see cref="Write"/> and read back by <see cref="Read"/>. Scenario keys (dispersion, class names, ...) are passed as
/// <see cref="OnnxModelDescription.Extras"/>.
/// </summary>
internal static class OnnxModelMetadata
{
    /// <summary>The prefix of every MlNetExt key.</summary>
    public const string Prefix = "mlnetext.";

    /// <summary>The model kind (<c>count_regression</c>, <c>gaussian_regression</c>, <c>image_classifier</c>, ...):
    /// which MlNetExt type restores the model.</summary>
    public const string Model = "mlnetext.model";

    /// <summary>The version of this scheme.</summary>
    public const string FormatVersion = "mlnetext.format_version";

    /// <summary>The MlNetExt package version that wrote the model.</summary>
    public const string PackageVersion = "mlnetext.package_version";

    /// <summary>JSON array describing the inputs (<see cref="OnnxTensorDescription"/>).</summary>
    public const string Inputs = "mlnetext.inputs";

    /// <summary>JSON array describing the outputs (<see cref="OnnxTensorDescription"/>).</summary>
    public const string Outputs = "mlnetext.outputs";

    /// <summary>JSON object with everything needed to rebuild the TorchSharp network.</summary>
    public const string Architecture = "mlnetext.architecture";

    /// <summary>JSON of the <see cref="TrainingHistory"/>.</summary>
    public const string History = "mlnetext.history";

    /// <summary>The version written to <see cref="FormatVersion"/>.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Adds the scheme's keys to <paramref name="graph"/>.</summary>
    public static void Write(OnnxGraphBuilder graph, OnnxModelDescription description)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(description);
        graph.AddMetadata(Model, description.Model);
        graph.AddMetadata(FormatVersion, CurrentFormatVersion.ToString(CultureInfo.InvariantCulture));
        graph.AddMetadata(PackageVersion, PackageVersionText());
        graph.AddMetadata(Inputs, MetadataJson.Serialize(description.Inputs));
        graph.AddMetadata(Outputs, MetadataJson.Serialize(description.Outputs));
        graph.AddMetadata(Architecture, description.ArchitectureJson);
        graph.AddMetadata(History, TrainingHistoryJson.Write(description.History));
        foreach (var (key, value) in description.Extras)
        {
            if (!key.StartsWith(Prefix, StringComparison.Ordinal))
                throw new ArgumentException($"Metadata key '{key}' must start with '{Prefix}'.", nameof(description));
            graph.AddMetadata(key, value);
        }
    }

    /// <summary>The MlNetExt keys (those starting with <see cref="Prefix"/>) of a model's metadata.</summary>
    public static IReadOnlyDictionary<string, string> Read(OnnxModelReader onnx)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        return onnx.Metadata.Where(p => p.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>The history in <paramref name="metadata"/>, or <see cref="TrainingHistory.Empty"/> when it has none.</summary>
    public static TrainingHistory ReadHistory(IReadOnlyDictionary<string, string> metadata)
        => metadata.TryGetValue(History, out var json) ? TrainingHistoryJson.Read(json) : TrainingHistory.Empty;

    /// <summary>The JSON value of <paramref name="key"/> as a <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidDataException">The key is missing or its value is not valid.</exception>
    public static T ReadJson<T>(IReadOnlyDictionary<string, string> metadata, string key)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(key, out var json))
            throw new InvalidDataException($"The ONNX model has no '{key}' metadata; it was not written by this version of MlNetExt.");
        return MetadataJson.Deserialize<T>(json, key);
    }

    /// <summary>A number written with <see cref="FormatNumber"/>.</summary>
    public static double ReadNumber(IReadOnlyDictionary<string, string> metadata, string key)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(key, out var text))
            throw new InvalidDataException($"The ONNX model has no '{key}' metadata.");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new InvalidDataException($"The ONNX metadata '{key}' is not a number: '{text}'.");
        return value;
    }

    /// <summary>A number as metadata text (invariant, round-trippable).</summary>
    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The package version: the informational version without a source-revision suffix.</summary>
    private static string PackageVersionText()
    {
        var assembly = typeof(OnnxModelMetadata).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        int plus = version.IndexOf('+');
        return plus < 0 ? version : version[..plus];
    }
}

/// <summary>What <see cref="OnnxModelMetadata.Write"/> writes.</summary>
/// <param name="Model">The model kind (<see cref="OnnxModelMetadata.Model"/>).</param>
/// <param name="Inputs">The graph's inputs.</param>
/// <param name="Outputs">The graph's outputs.</param>
/// <param name="ArchitectureJson">The architecture, serialized with <see cref="MetadataJson.Serialize{T}"/>.</param>
/// <param name="History">The training history.</param>
internal sealed record OnnxModelDescription(string Model, IReadOnlyList<OnnxTensorDescription> Inputs,
    IReadOnlyList<OnnxTensorDescription> Outputs, string ArchitectureJson, TrainingHistory History)
{
    /// <summary>Scenario keys, each starting with <see cref="OnnxModelMetadata.Prefix"/>.</summary>
    public IReadOnlyDictionary<string, string> Extras { get; init; } = new Dictionary<string, string>();
}
