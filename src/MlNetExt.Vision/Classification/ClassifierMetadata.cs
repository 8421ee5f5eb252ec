using System.Globalization;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// The <c>mlnetext.*</c> metadata of an image classifier's ONNX models (the one inside the ML.NET pipeline and the
/// standalone export): what the model is, its classes and preprocessing, and everything needed to rebuild its backbone
/// (<see cref="ImageBackbone.FromClassifier(string)"/>). Documented in docs/image-classifier.md.
/// </summary>
internal static class ClassifierMetadata
{
    public const string Model = "mlnetext.model";
    public const string ClassNames = "mlnetext.class_names";
    public const string Backbone = "mlnetext.backbone";
    public const string Architecture = "mlnetext.backbone.architecture";
    public const string BackboneOptions = "mlnetext.backbone.options";
    public const string BackbonePrefix = "mlnetext.backbone.prefix";
    public const string PixelScaling = "mlnetext.pixel_scaling";
    public const string ImageSize = "mlnetext.image_size";
    public const string InputLayout = "mlnetext.input_layout";
    public const string Strategy = "mlnetext.strategy";

    /// <summary>The value of <see cref="Model"/> for an image classifier.</summary>
    public const string ImageClassifierModel = "image_classifier";

    /// <summary>The metadata of a classifier trained with <paramref name="options"/>.</summary>
    public static IReadOnlyDictionary<string, string> Write(ImageClassifierOptions options, IReadOnlyList<string> classNames, PixelLayout layout) =>
        new Dictionary<string, string>
        {
            [Model] = ImageClassifierModel,
            [ClassNames] = string.Join("\n", classNames),
            [Backbone] = options.Backbone.Description,
            [Architecture] = options.Backbone.Spec.Architecture,
            [BackboneOptions] = options.Backbone.Spec.OptionsJson,
            [BackbonePrefix] = ImageBackbone.ClassifierBackbonePrefix,
            [PixelScaling] = options.Backbone.PixelScaling.ToString(),
            [ImageSize] = options.ImageSize.ToString(CultureInfo.InvariantCulture),
            [InputLayout] = $"float [batch, {layout.Channels}*{layout.Height}*{layout.Width}] planar CHW, values 0..255",
            [Strategy] = options.Strategy.ToString(),
        };

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
