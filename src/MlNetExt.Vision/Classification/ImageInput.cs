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

    /// <summary>What an image column must be, for <see cref="MissingColumnMessage"/>.</summary>
    public const string ImageColumnExpectation = "an MLImage column (LoadImages) or a float vector of raw pixels";

    /// <summary>Checks the feature column and fits the preprocessing transformers.</summary>
    public static (IReadOnlyList<ITransformer> Transformers, string PixelColumn, PixelLayout Layout) Prepare(MLContext context,
        IDataView input, ImageClassifierOptions options) =>
        Prepare(context, input, options.FeatureColumnName, "Feature", options.ImageSize, options.InputChannels, options.InputHeight,
            options.InputWidth, ResizedColumn, PixelColumn);

    /// <summary>
    /// Checks an image column (MLImage, or a float vector of raw pixels) and fits the preprocessing transformers; the MLImage
    /// path adds <paramref name="resizedColumn"/> and <paramref name="pixelColumn"/>, a pixel vector is used as it is.
    /// </summary>
    /// <param name="context">ML.NET context.</param>
    /// <param name="input">The data.</param>
    /// <param name="columnName">The image column.</param>
    /// <param name="role">The column's role in error messages ("Feature", "Input").</param>
    /// <param name="imageSize">Side of the square image the MLImage path resizes to.</param>
    /// <param name="channels">Raw pixel vectors: channels, or null (inferred).</param>
    /// <param name="height">Raw pixel vectors: height, or null (inferred).</param>
    /// <param name="width">Raw pixel vectors: width, or null (inferred).</param>
    /// <param name="resizedColumn">Name of the resized image column the MLImage path adds.</param>
    /// <param name="pixelColumn">Name of the pixel vector column the MLImage path adds.</param>
    public static (IReadOnlyList<ITransformer> Transformers, string PixelColumn, PixelLayout Layout) Prepare(MLContext context,
        IDataView input, string columnName, string role, int imageSize, int? channels, int? height, int? width, string resizedColumn,
        string pixelColumn)
    {
        var column = input.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException(MissingColumnMessage(role, columnName, ImageColumnExpectation,
                input.Schema.Where(c => !c.IsHidden).Select(c => c.Name)), nameof(input));
        if (column.Type is ImageDataViewType)
        {
            var resize = context.Transforms.ResizeImages(resizedColumn, imageSize, imageSize, columnName,
                ImageResizingEstimator.ResizingKind.Fill).Fit(input);
            var resized = resize.Transform(input);
            var extract = context.Transforms.ExtractPixels(pixelColumn, resizedColumn, ImagePixelExtractingEstimator.ColorBits.Rgb,
                ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavePixelColors: false, offsetImage: 0f, scaleImage: 1f,
                outputAsFloatArray: true).Fit(resized);
            return (new ITransformer[] { resize, extract }, pixelColumn, new PixelLayout(3, imageSize, imageSize));
        }

        if (column.Type is VectorDataViewType { ItemType: NumberDataViewType item, Size: > 0 } vector && item == NumberDataViewType.Single)
        {
            var layout = PixelLayout.Infer(vector.Size, channels, height, width);
            if (layout is null || layout.Channels is not (1 or 3))
                throw new ArgumentException(
                    $"{role} column '{columnName}' holds {vector.Size} pixel values, which is not C x H x W with C = 1 or 3 " +
                    $"for the given InputChannels/InputHeight/InputWidth ({channels?.ToString() ?? "?"}, {height?.ToString() ?? "?"}, {width?.ToString() ?? "?"}).",
                    nameof(input));
            return (Array.Empty<ITransformer>(), columnName, layout);
        }

        throw new ArgumentException(
            $"{role} column '{columnName}' must be an MLImage column (LoadImages) or a known-size float vector of raw pixels; found {column.Type}.",
            nameof(input));
    }

    /// <summary>
    /// "{role} column 'x' was not found; expected ... Set the {role}ColumnName option to one of the available columns: ...".
    /// </summary>
    public static string MissingColumnMessage(string role, string columnName, string expected, IEnumerable<string> available) =>
        $"{role} column '{columnName}' was not found; expected {expected}. Set the {role}ColumnName option (or argument) to the right column; " +
        $"available columns: {string.Join(", ", available.Distinct().Select(c => $"'{c}'"))}.";

    /// <summary>
    /// Runs <paramref name="read"/>, which decodes images; a failure (a missing or corrupt image file) becomes an
    /// <see cref="InvalidDataException"/> that says "Could not read <paramref name="what"/> '<paramref name="imageColumn"/>'"
    /// with the root cause, unless its message already names <paramref name="imageColumn"/> or one of
    /// <paramref name="otherColumns"/> (a schema error with its own message).
    /// </summary>
    public static T ReadImages<T>(string imageColumn, string what, Func<T> read, params string[] otherColumns) =>
        ReadImages(null, imageColumn, what, read, otherColumns);

    /// <summary>
    /// <see cref="ReadImages{T}(string, string, Func{T}, string[])"/> that also names the first row of
    /// <paramref name="data"/> whose image cannot be read and its file (see <see cref="ImageReadFailure"/>).
    /// </summary>
    public static T ReadImages<T>(IDataView? data, string imageColumn, string what, Func<T> read, params string[] otherColumns)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not OperationCanceledException
            && !otherColumns.Append(imageColumn).Any(c => e.Message.Contains($"'{c}'", StringComparison.Ordinal)))
        {
            throw ImageReadFailure.Describe(e, what, imageColumn, data);
        }
    }

    /// <summary>Applies the preprocessing transformers in order.</summary>
    public static IDataView Apply(IReadOnlyList<ITransformer> transformers, IDataView data)
    {
        foreach (var t in transformers)
            data = t.Transform(data);
        return data;
    }
}
