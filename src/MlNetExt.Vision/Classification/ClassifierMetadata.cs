using System.Globalization;
using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// The <c>mlnetext.*</c> metadata of an image classifier's ONNX models (the one inside the ML.NET pipeline and the
/// standalone ones): Core's scheme (<c>mlnetext.model = image_classifier</c>, inputs, outputs, architecture, history) and
/// the classifier's own keys: its classes and preprocessing, and everything needed to rebuild its backbone
/// (<see cref="ImageBackbone.FromClassifier(string)"/>). Documented in docs/image-classifier.md and docs/onnx-metadata.md.
/// </summary>
internal static class ClassifierMetadata
{
    public const string Model = OnnxModelMetadata.Model;
    public const string ClassNames = "mlnetext.class_names";
    public const string Backbone = "mlnetext.backbone";
    public const string Architecture = "mlnetext.backbone.architecture";
    public const string BackboneOptions = "mlnetext.backbone.options";
    public const string BackbonePrefix = "mlnetext.backbone.prefix";
    public const string PixelScaling = "mlnetext.pixel_scaling";
    public const string ImageSize = "mlnetext.image_size";
    public const string InputLayout = "mlnetext.input_layout";
    public const string Strategy = "mlnetext.strategy";
    public const string FeatureColumn = "mlnetext.feature_column";

    /// <summary>The value of <see cref="Model"/> for an image classifier.</summary>
    public const string ImageClassifierModel = Classification.ImageClassifierModel.Kind;

    private static readonly HashSet<string> CoreKeys = new(StringComparer.Ordinal)
    {
        OnnxModelMetadata.Model, OnnxModelMetadata.FormatVersion, OnnxModelMetadata.PackageVersion, OnnxModelMetadata.Inputs,
        OnnxModelMetadata.Outputs, OnnxModelMetadata.Architecture, OnnxModelMetadata.History,
    };

    /// <summary>The metadata of a classifier trained with <paramref name="options"/>.</summary>
    /// <param name="options">The training options (strategy, feature column).</param>
    /// <param name="backboneDescription">Where the backbone came from, in words.</param>
    /// <param name="architecture">The trained network's architecture.</param>
    /// <param name="classNames">Class names in key order.</param>
    /// <param name="history">The training history.</param>
    public static ClassifierDescription Describe(ImageClassifierOptions options, string backboneDescription, ImageClassifierArchitecture architecture,
        IReadOnlyList<string> classNames, TrainingHistory history) =>
        new(architecture, history, new Dictionary<string, string>
        {
            [ClassNames] = MetadataJson.Serialize(classNames),
            [Backbone] = backboneDescription,
            [Architecture] = architecture.Backbone,
            [BackboneOptions] = architecture.BackboneOptions,
            [BackbonePrefix] = architecture.StateDictPrefix + ImageBackbone.ClassifierBackbonePrefix,
            [PixelScaling] = architecture.PixelScaling,
            [ImageSize] = architecture.ImageSize.ToString(CultureInfo.InvariantCulture),
            [InputLayout] = $"float [batch, {architecture.Channels}*{architecture.Height}*{architecture.Width}] planar CHW, values 0..255",
            [Strategy] = options.Strategy.ToString(),
            [FeatureColumn] = options.FeatureColumnName,
        });

    /// <summary>The description of a restored classifier: its saved classifier keys, architecture and history.</summary>
    public static ClassifierDescription FromMetadata(IReadOnlyDictionary<string, string> metadata, ImageClassifierArchitecture architecture,
        TrainingHistory history) =>
        new(architecture, history, metadata.Where(p => !CoreKeys.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    /// <summary>The class names: a JSON array, or (written by earlier versions) one name per line.</summary>
    /// <exception cref="InvalidDataException">The model has no class names.</exception>
    public static IReadOnlyList<string> ReadClassNames(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(ClassNames, out var text))
            throw new InvalidDataException($"The image classifier's ONNX metadata have no '{ClassNames}'.");
        return text.StartsWith('[') ? MetadataJson.Deserialize<string[]>(text, ClassNames) : text.Split('\n');
    }

    /// <summary>The backbone's architecture, options and pixel scaling recorded in an image classifier's metadata.</summary>
    /// <exception cref="InvalidDataException">The model is not an MlNetExt image classifier, or predates this metadata.</exception>
    public static (BackboneSpec Spec, PixelScaling Scaling) ReadBackbone(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (!metadata.TryGetValue(Model, out var model) || model != ImageClassifierModel)
            throw new InvalidDataException(
                $"'{source}' is not an MlNetExt image classifier (its ONNX metadata has no '{Model} = {ImageClassifierModel}'). For other weight files " +
                "use ImageBackbone.FromFile(architecture, path, options, scaling, sourcePrefix).");
        if (!metadata.TryGetValue(Architecture, out var architecture) || !metadata.TryGetValue(BackboneOptions, out var options)
            || !metadata.TryGetValue(PixelScaling, out var scaling))
            throw new InvalidDataException(
                $"'{source}' was exported by an earlier MlNetExt without '{Architecture}', '{BackboneOptions}' and '{PixelScaling}' metadata; " +
                $"use ImageBackbone.FromFile(architecture, path, options, scaling, sourcePrefix: \"{ImageBackbone.ClassifierBackbonePrefix}\").");
        return (BackboneSpec.Parse(architecture, options, source), ParseScaling(scaling, source));
    }

    /// <summary>Parses a <see cref="Catalog.PixelScaling"/> name.</summary>
    public static PixelScaling ParseScaling(string value, string source) =>
        Enum.TryParse<PixelScaling>(value, ignoreCase: false, out var scaling) && Enum.IsDefined(scaling)
            ? scaling
            : throw new InvalidDataException(
                $"'{source}' names pixel scaling '{value}', which this version does not know ({string.Join(", ", Enum.GetNames<PixelScaling>())}).");
}

/// <summary>What an image classifier's graphs carry in their metadata, apart from their own inputs and outputs.</summary>
/// <param name="Architecture">The network's architecture (<c>mlnetext.architecture</c>).</param>
/// <param name="History">The training history (<c>mlnetext.history</c>).</param>
/// <param name="Extras">The classifier's own keys.</param>
internal sealed record ClassifierDescription(ImageClassifierArchitecture Architecture, TrainingHistory History, IReadOnlyDictionary<string, string> Extras)
{
    /// <summary>Writes the metadata of a graph with these inputs and outputs; <paramref name="inputLayout"/> replaces
    /// <see cref="ClassifierMetadata.InputLayout"/>.</summary>
    public void Write(OnnxGraphBuilder graph, IReadOnlyList<OnnxTensorDescription> inputs, IReadOnlyList<OnnxTensorDescription> outputs,
        string? inputLayout = null)
    {
        var extras = new Dictionary<string, string>(Extras, StringComparer.Ordinal);
        if (inputLayout is not null)
            extras[ClassifierMetadata.InputLayout] = inputLayout;
        OnnxModelMetadata.Write(graph, new OnnxModelDescription(ClassifierMetadata.ImageClassifierModel, inputs, outputs,
            MetadataJson.Serialize(Architecture), History) { Extras = extras });
    }
}
