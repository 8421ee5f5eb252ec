using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.ImageAugmentation.Data;

namespace MlNetExt.ImageAugmentation;

/// <summary><c>mlContext.Data.CheckImageFiles</c>: refuse hostile or damaged image files before ML.NET decodes them.</summary>
public static class ImageFileCatalog
{
    /// <summary>
    /// Returns <paramref name="data"/> unchanged, except that each image file named in <paramref name="pathColumnName"/>
    /// is checked with <see cref="ImageFileCheck"/> when the path is read: place it before
    /// <c>mlContext.Transforms.LoadImages(..., imageFolder, pathColumnName)</c>, which reads the path before decoding, so
    /// an image larger than <see cref="ImageFileLimits.MaxPixels"/> (a decompression bomb) is never decoded and a
    /// truncated file fails instead of scoring as a half-blank image. A failing file throws
    /// <see cref="InvalidDataException"/> naming it when the cursor reaches its row (training: at <c>Fit</c>;
    /// scoring: while reading <c>model.Transform(...)</c>). It is a data operation, not part of a saved model: apply it to
    /// the data you train on and to the data you score.
    /// </summary>
    /// <param name="catalog">The data operations catalog.</param>
    /// <param name="data">The data.</param>
    /// <param name="pathColumnName">Text column of image paths (the input column of LoadImages).</param>
    /// <param name="imageFolder">Folder that relative paths are in, as given to LoadImages; null: paths are used as they are.</param>
    /// <param name="limits">Limits; null: <see cref="ImageFileLimits"/> defaults.</param>
    public static IDataView CheckImageFiles(this DataOperationsCatalog catalog, IDataView data, string pathColumnName,
        string? imageFolder = null, ImageFileLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(pathColumnName);
        var column = data.Schema.GetColumnOrNull(pathColumnName)
            ?? throw new ArgumentException(
                $"Image path column '{pathColumnName}' was not found; available columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.",
                nameof(pathColumnName));
        if (column.Type is not TextDataViewType)
        {
            throw new ArgumentException($"Image path column '{pathColumnName}' must be text (file paths); found {column.Type}.", nameof(pathColumnName));
        }

        if (limits is { MaxPixels: <= 0 })
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits.MaxPixels, "ImageFileLimits.MaxPixels must be positive.");
        }

        return new ImageFileCheckingDataView(data, column.Index, imageFolder, limits ?? new ImageFileLimits());
    }
}
