using Microsoft.ML;

namespace MlNetExt.Core.IO;

/// <summary>
/// <c>mlContext.Model.SaveAtomic</c>: ML.NET's <c>Model.Save</c> to a path truncates the file first, so a save that fails
/// half-way (a transformer that cannot be saved, a full disk, a killed process) destroys the model that was there. This
/// writes the same zip beside the destination and renames it over the destination only when it is complete.
/// </summary>
public static class AtomicModelSaveCatalog
{
    /// <summary>
    /// Saves <paramref name="model"/> and <paramref name="inputSchema"/> to <paramref name="filePath"/> exactly as
    /// <see cref="ModelOperationsCatalog.Save(ITransformer, DataViewSchema, string)"/> does (it loads with
    /// <c>mlContext.Model.Load</c>), but atomically: if saving fails, an existing file at <paramref name="filePath"/> is
    /// left as it was and no partial file remains.
    /// </summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="model">The trained model.</param>
    /// <param name="inputSchema">The schema of the model's input (may be null, as for ML.NET's Save).</param>
    /// <param name="filePath">The destination file.</param>
    public static void SaveAtomic(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        AtomicFile.Write(filePath, stream => catalog.Save(model, inputSchema, stream));
    }
}
