using Microsoft.ML;

namespace MlNetExt.Embeddings;

/// <summary>The MLContext that catalog extension methods train under.</summary>
internal static class CatalogContext
{
    /// <summary>
    /// ML.NET does not expose a catalog's MLContext publicly (and MlNetExt never reflects into ML.NET internals), so
    /// catalog shortcuts train under a context of their own, seeded by the options' seed (0 when none is given).
    /// Construct the estimator with your MLContext to use its log and GPU settings.
    /// </summary>
    /// <param name="seed">The options' seed, if any.</param>
    public static MLContext For(int? seed) => new(seed ?? 0);
}
