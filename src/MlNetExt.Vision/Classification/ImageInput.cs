using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Turns the feature column into the raw pixel vector the exported network reads: MLImage columns through the standard
/// ResizeImages + ExtractPixels transformers (RGB, planar, [0, 255]); float vectors are used as they are.
/// </summary>
internal static class ImageInput
{
    /// <summary>Name of the resized image column the MLImage path adds.</summary>
    public const string ResizedColumn = "ImageClassifier.Resized";

    /// <summary>Name of the pixel vector column the MLImage path adds.</summary>
    public const string PixelColumn = "ImageClassifier.Pixels";

    /// <summary>Checks the feature column and fits the preprocessing transformers.</summary>
    public static (IReadOnlyList<ITransformer> Transformers, string PixelColumn, PixelLayout Layout) Prepare(MLContext context,
        IDataView input, ImageClassifierOptions options)
    {
        var column = input.Schema.GetColumnOrNull(options.FeatureColumnName)
            ?? throw new ArgumentException(
                $"Feature column '{options.FeatureColumnName}' was not found; expected an MLImage column (LoadImages) or a float vector of raw pixels. " +
                $"Available columns: {string.Join(", ", input.Schema.Select(c => c.Name))}.", nameof(input));
        if (column.Type is ImageDataViewType)
        {
            var resize = context.Transforms.ResizeImages(ResizedColumn, options.ImageSize, options.ImageSize, options.FeatureColumnName,
                ImageResizingEstimator.ResizingKind.Fill).Fit(input);
            var resized = resize.Transform(input);
            var extract = context.Transforms.ExtractPixels(PixelColumn, ResizedColumn, ImagePixelExtractingEstimator.ColorBits.Rgb,
                ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavePixelColors: false, offsetImage: 0f, scaleImage: 1f,
                outputAsFloatArray: true).Fit(resized);
            return (new ITransformer[] { resize, extract }, PixelColumn, new PixelLayout(3, options.ImageSize, options.ImageSize));
        }

        if (column.Type is VectorDataViewType { ItemType: NumberDataViewType item, Size: > 0 } vector && item == NumberDataViewType.Single)
        {
            var layout = PixelLayout.Infer(vector.Size, options.InputChannels, options.InputHeight, options.InputWidth);
            if (layout is null || layout.Channels is not (1 or 3))
                throw new ArgumentException(
                    $"Feature column '{options.FeatureColumnName}' holds {vector.Size} pixel values, which is not C x H x W with C = 1 or 3 " +
                    $"for the given InputChannels/InputHeight/InputWidth ({options.InputChannels?.ToString() ?? "?"}, {options.InputHeight?.ToString() ?? "?"}, {options.InputWidth?.ToString() ?? "?"}).",
                    nameof(input));
            return (Array.Empty<ITransformer>(), options.FeatureColumnName, layout);
        }

        throw new ArgumentException(
            $"Feature column '{options.FeatureColumnName}' must be an MLImage column (LoadImages) or a known-size float vector of raw pixels; found {column.Type}.",
            nameof(input));
    }

    /// <summary>Applies the preprocessing transformers in order.</summary>
    public static IDataView Apply(IReadOnlyList<ITransformer> transformers, IDataView data)
    {
        foreach (var t in transformers)
            data = t.Transform(data);
        return data;
    }
}
