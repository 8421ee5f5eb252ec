using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.ImageAugmentation;

namespace MlNetExt;

/// <summary>
/// MlNetExt.ImageAugmentation's entry points on <c>mlContext.DeepLearning().Data</c>: data operations that add augmented
/// copies of image rows (applied to training data only, never part of a saved model). Without a seed they draw one from
/// your MLContext, so <c>new MLContext(seed)</c> makes them reproducible.
/// </summary>
public static class ImageAugmentationDeepLearningExtensions
{
    /// <summary>
    /// Returns a lazy view holding every row of <paramref name="data"/> followed by <paramref name="copiesPerImage"/>
    /// augmented copies of it (see <see cref="ImageAugmentationCatalog"/>).
    /// </summary>
    /// <param name="catalog">The data catalog of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="data">The data.</param>
    /// <param name="imageColumnName">An image column (MLImage, e.g. from LoadImages).</param>
    /// <param name="policy">The augmentation policy.</param>
    /// <param name="copiesPerImage">Augmented copies per row (0 or more).</param>
    /// <param name="labelColumnName">Optional label column; checked but not needed by a single policy.</param>
    /// <param name="seed">Seed of every random draw; null draws one from the MLContext.</param>
    /// <returns>The augmented view.</returns>
    public static IDataView AugmentImages(this DeepLearningCatalog.DataCatalog catalog, IDataView data, string imageColumnName,
        AugmentationPolicy policy, int copiesPerImage = 1, string? labelColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Context.Data.AugmentImages(data, imageColumnName, policy, copiesPerImage, labelColumnName, Seed(catalog, seed));
    }

    /// <summary>As the <see cref="AugmentationPolicy"/> overload, with a policy chosen by each row's label value.</summary>
    /// <param name="catalog">The data catalog of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="data">The data.</param>
    /// <param name="imageColumnName">An image column.</param>
    /// <param name="policy">Default policy and per-label overrides.</param>
    /// <param name="copiesPerImage">Augmented copies per row (0 or more).</param>
    /// <param name="labelColumnName">The label column (text, key, boolean or number); required when the policy has overrides.</param>
    /// <param name="seed">Seed of every random draw; null draws one from the MLContext.</param>
    /// <returns>The augmented view.</returns>
    public static IDataView AugmentImages(this DeepLearningCatalog.DataCatalog catalog, IDataView data, string imageColumnName,
        ClassAugmentationPolicy policy, int copiesPerImage = 1, string? labelColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Context.Data.AugmentImages(data, imageColumnName, policy, copiesPerImage, labelColumnName, Seed(catalog, seed));
    }

    /// <summary>
    /// Rebalances classes by augmentation: every class with fewer rows than the target (default: the largest class's
    /// count) gets augmented copies of its own images until it reaches the target.
    /// </summary>
    /// <param name="catalog">The data catalog of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="data">The data.</param>
    /// <param name="imageColumnName">An image column.</param>
    /// <param name="labelColumnName">The label column (text, key, boolean or number).</param>
    /// <param name="policy">The policy (a class-dependent one, or a plain <see cref="AugmentationPolicy"/>).</param>
    /// <param name="targetCountPerClass">Rows wanted per class; null: the majority class's count.</param>
    /// <param name="seed">Seed of every random draw; null draws one from the MLContext.</param>
    /// <returns>The rebalanced view.</returns>
    public static IDataView BalanceClassesByAugmenting(this DeepLearningCatalog.DataCatalog catalog, IDataView data,
        string imageColumnName, string labelColumnName, ClassAugmentationPolicy policy, int? targetCountPerClass = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Context.Data.BalanceClassesByAugmenting(data, imageColumnName, labelColumnName, policy, targetCountPerClass, Seed(catalog, seed));
    }

    /// <summary>Rows per label value (labels as text, as matched by <see cref="ClassAugmentationPolicy"/>).</summary>
    /// <param name="catalog">The data catalog of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="data">The data.</param>
    /// <param name="labelColumnName">The label column (text, key, boolean or number).</param>
    /// <returns>The count of rows per label.</returns>
    public static IReadOnlyDictionary<string, long> CountRowsPerLabel(this DeepLearningCatalog.DataCatalog catalog, IDataView data, string labelColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Context.Data.CountRowsPerLabel(data, labelColumnName);
    }

    private static int Seed(DeepLearningCatalog.DataCatalog catalog, int? seed) => EstimatorSeed.Resolve(catalog.Context, seed, "AugmentImages");
}
