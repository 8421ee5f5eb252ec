using Microsoft.ML;

namespace MlNetExt.Embeddings;

/// <summary>The MLContext behind a catalog obtained from it.</summary>
internal static class CatalogContext
{
    /// <summary>
    /// ML.NET keeps a catalog's environment internal (IInternalCatalog); a catalog created by an MLContext holds that
    /// MLContext. Falls back to a fresh MLContext (seed 0) should that ever change.
    /// </summary>
    public static MLContext Of(TransformsCatalog catalog)
    {
        var environment = catalog.GetType().GetProperty("Environment", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            ?.GetValue(catalog);
        return environment as MLContext ?? new MLContext(seed: 0);
    }
}
