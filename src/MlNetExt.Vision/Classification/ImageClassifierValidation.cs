using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Vision.Classification;

/// <summary>Option checks, continue-training checks and the output schema shared by both image classifiers.</summary>
internal static class ImageClassifierValidation
{
    public static void Check(ImageClassifierOptions options)
    {
        if (options.Backbone is null)
            throw new ArgumentNullException(nameof(options), "Backbone must be set.");
        if (options.ImageSize < 8 || options.ImageSize > 1024)
            throw new ArgumentOutOfRangeException(nameof(options), $"ImageSize must be in [8, 1024]; found {options.ImageSize}.");
        if (options.Epochs < 0)
            throw new ArgumentOutOfRangeException(nameof(options),
                $"Epochs must be positive, or {ImageClassifierOptions.AutomaticEpochs} to choose it from the data size; found {options.Epochs}.");
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"BatchSize must be at least 1; found {options.BatchSize}.");
        if (!(options.Dropout >= 0 && options.Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(options), $"Dropout must be in [0, 1); found {options.Dropout}.");
        if (!(options.LabelSmoothing >= 0 && options.LabelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(options), $"LabelSmoothing must be in [0, 1); found {options.LabelSmoothing}.");
        if (options.BackboneLearningRateMultiplier is float multiplier && (!(multiplier >= 0) || !float.IsFinite(multiplier)))
            throw new ArgumentOutOfRangeException(nameof(options), $"BackboneLearningRateMultiplier must be finite and non-negative; found {options.BackboneLearningRateMultiplier}.");
        if (!(options.HeadLearningRateMultiplier > 0) || !float.IsFinite(options.HeadLearningRateMultiplier))
            throw new ArgumentOutOfRangeException(nameof(options), $"HeadLearningRateMultiplier must be finite and positive; found {options.HeadLearningRateMultiplier}.");
        if (!Enum.IsDefined(options.ClassBalancing))
            throw new ArgumentOutOfRangeException(nameof(options), $"ClassBalancing {(int)options.ClassBalancing} is not a defined value.");
        ArgumentNullException.ThrowIfNull(options.Augmentation, nameof(options.Augmentation));
        ArgumentNullException.ThrowIfNull(options.HeadHiddenLayers, nameof(options.HeadHiddenLayers));
    }

    /// <summary>
    /// Checks that data read as <paramref name="layout"/> with classes <paramref name="classNames"/> can continue training
    /// <paramref name="initialModel"/>; the messages name the column or option and both values.
    /// </summary>
    public static void CheckInitialModel(ImageClassifierOptions options, ImageClassifierModel initialModel, PixelLayout layout,
        IReadOnlyList<string> classNames, bool binary)
    {
        if (initialModel.IsBinary != binary)
            throw new ArgumentException(
                $"The initial model is a {(initialModel.IsBinary ? "binary" : "multiclass")} image classifier; this trainer trains a " +
                $"{(binary ? "binary" : "multiclass")} one.", nameof(initialModel));
        if (!binary && !classNames.SequenceEqual(initialModel.ClassNames))
            throw new ArgumentException(
                $"Label column '{options.LabelColumnName}' has {classNames.Count} classes ({Describe(classNames)}); the initial model was trained on " +
                $"{initialModel.ClassNames.Count} ({Describe(initialModel.ClassNames)}). Continue training needs the same classes in the same key order.",
                nameof(initialModel));
        var trained = initialModel.Architecture.Layout;
        if (layout != trained)
            throw new ArgumentException(
                $"Feature column '{options.FeatureColumnName}' holds {Describe(layout)} pixels; the initial model was trained on {Describe(trained)}.",
                nameof(initialModel));
        if (options.ImageSize != initialModel.ImageSize)
            throw new ArgumentException(
                $"ImageSize is {options.ImageSize}; the initial model's backbone sees {initialModel.ImageSize} x {initialModel.ImageSize} images. " +
                $"Set ImageSize = {initialModel.ImageSize} to continue training it.", nameof(options));
    }

    /// <summary>Where the backbone of a model trained with <paramref name="options"/> came from, in words.</summary>
    public static string BackboneDescription(ImageClassifierOptions options, ImageClassifierModel? initialModel) =>
        initialModel is null
            ? options.Backbone.Description
            : initialModel.OnnxMetadata.GetValueOrDefault(ClassifierMetadata.Backbone) ?? initialModel.Architecture.Backbone;

    private static string Describe(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(10).Select(n => $"'{n}'")) + (names.Count > 10 ? ", ..." : "");

    private static string Describe(PixelLayout layout) => $"{layout.Channels} x {layout.Height} x {layout.Width}";

    /// <summary>The output schema: Score (float vector; binary: float) and PredictedLabel (label's key; binary: bool).</summary>
    public static SchemaShape OutputSchema(MLContext context, SchemaShape inputSchema, ImageClassifierOptions options, bool binary)
    {
        var available = inputSchema.Select(c => c.Name);
        if (!inputSchema.Any(c => c.Name == options.FeatureColumnName))
            throw new ArgumentException(ImageInput.MissingColumnMessage("Feature", options.FeatureColumnName,
                ImageInput.ImageColumnExpectation, available), nameof(inputSchema));
        if (!inputSchema.Any(c => c.Name == options.LabelColumnName))
            throw new ArgumentException(ImageInput.MissingColumnMessage("Label", options.LabelColumnName,
                binary ? "a Boolean column" : "a key column (MapValueToKey)", available), nameof(inputSchema));
        var label = inputSchema.First(c => c.Name == options.LabelColumnName);
        if (!binary && !label.IsKey)
            throw new ArgumentException($"Label column '{options.LabelColumnName}' must be a key column (use MapValueToKey); found {label.ItemType}.", nameof(inputSchema));
        if (binary)
        {
            return context.Transforms.Conversion.ConvertType(options.ScoreColumnName, options.LabelColumnName, DataKind.Single)
                .Append(context.Transforms.Conversion.ConvertType("Probability", options.LabelColumnName, DataKind.Single))
                .Append(context.Transforms.CopyColumns(options.PredictedLabelColumnName, options.LabelColumnName))
                .GetOutputSchema(inputSchema);
        }
        return context.Transforms.Conversion.ConvertType(options.ScoreColumnName, options.LabelColumnName, DataKind.Single)
            .Append(context.Transforms.Concatenate(options.ScoreColumnName, options.ScoreColumnName, options.ScoreColumnName))
            .Append(context.Transforms.CopyColumns(options.PredictedLabelColumnName, options.LabelColumnName))
            .GetOutputSchema(inputSchema);
    }
}
