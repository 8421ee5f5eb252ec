using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MlNetExt.ImageAugmentation.Data;
using MlNetExt.ImageAugmentation.Sampling;

namespace MlNetExt.ImageAugmentation;

/// <summary>
/// <c>mlContext.Data</c> operations that add augmented copies of image rows. They are data operations (like
/// <c>ShuffleRows</c> or <c>FilterRowsByColumn</c>), applied to training data only, never part of a saved model.
/// </summary>
public static class ImageAugmentationCatalog
{
    /// <summary>Seed used when none is given (the catalog does not expose the MLContext's random source).</summary>
    public const int DefaultSeed = 0;

    /// <summary>
    /// Returns a lazy view holding every row of <paramref name="data"/> followed by
    /// <paramref name="copiesPerImage"/> augmented copies of it. The image column stays an <see cref="MLImage"/>
    /// column of the same type; every other column is carried along unchanged. Images are augmented on the
    /// fly by each cursor; the same seed gives the same images on every pass. Copies follow their original:
    /// for trainers that are sensitive to row order, shuffle after extracting pixels (ML.NET's
    /// <c>ShuffleRows</c> keeps only cachable columns, so it drops an <see cref="MLImage"/> column).
    /// </summary>
    /// <param name="catalog">The data operations catalog.</param>
    /// <param name="data">The data.</param>
    /// <param name="imageColumnName">An image column (<see cref="ImageDataViewType"/>, e.g. from LoadImages).</param>
    /// <param name="policy">The augmentation policy.</param>
    /// <param name="copiesPerImage">Augmented copies per row (0 or more).</param>
    /// <param name="labelColumnName">Optional label column; checked but not needed by a single policy.</param>
    /// <param name="seed">Seed of every random draw; null uses <see cref="DefaultSeed"/>.</param>
    /// <remarks>A convenience shortcut: random draws are seeded by <paramref name="seed"/>, or by <see cref="DefaultSeed"/>
    /// when it is null, never by your MLContext (ML.NET does not expose a catalog's context).
    /// <c>mlContext.DeepLearning().Data.AugmentImages(...)</c> uses your MLContext: without a seed it draws one from the
    /// context, so <c>new MLContext(seed)</c> makes the augmentation reproducible.</remarks>
    public static IDataView AugmentImages(this DataOperationsCatalog catalog, IDataView data, string imageColumnName,
        AugmentationPolicy policy, int copiesPerImage = 1, string? labelColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return AugmentImages(catalog, data, imageColumnName, new ClassAugmentationPolicy(policy), copiesPerImage, labelColumnName, seed);
    }

    /// <summary>
    /// As <see cref="AugmentImages(DataOperationsCatalog, IDataView, string, AugmentationPolicy, int, string?, int?)"/>
    /// with a policy chosen by each row's label value.
    /// </summary>
    /// <param name="catalog">The data operations catalog.</param>
    /// <param name="data">The data.</param>
    /// <param name="imageColumnName">An image column.</param>
    /// <param name="policy">Default policy and per-label overrides.</param>
    /// <param name="copiesPerImage">Augmented copies per row (0 or more).</param>
    /// <param name="labelColumnName">The label column (text, key, boolean or number); required when the policy has overrides.</param>
    /// <param name="seed">Seed of every random draw; null uses <see cref="DefaultSeed"/>.</param>
    /// <remarks>A convenience shortcut: random draws are seeded by <paramref name="seed"/>, or by <see cref="DefaultSeed"/>
    /// when it is null, never by your MLContext (ML.NET does not expose a catalog's context).
    /// <c>mlContext.DeepLearning().Data.AugmentImages(...)</c> uses your MLContext: without a seed it draws one from the
    /// context, so <c>new MLContext(seed)</c> makes the augmentation reproducible.</remarks>
    public static IDataView AugmentImages(this DataOperationsCatalog catalog, IDataView data, string imageColumnName,
        ClassAugmentationPolicy policy, int copiesPerImage = 1, string? labelColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(policy);
        if (copiesPerImage < 0)
            throw new ArgumentOutOfRangeException(nameof(copiesPerImage), copiesPerImage, $"{nameof(copiesPerImage)} must be >= 0; got {copiesPerImage}.");
        var image = CheckImageColumn(data.Schema, imageColumnName);
        DataViewSchema.Column? label = null;
        if (labelColumnName is not null) label = LabelTextReader.CheckColumn(data.Schema, labelColumnName, nameof(labelColumnName));
        else if (policy.Overrides.Count > 0)
            throw new ArgumentNullException(nameof(labelColumnName), "A class-dependent policy with overrides needs the label column.");
        long? rows = data.GetRowCount() is long n ? n * (1 + copiesPerImage) : null;
        return new AugmentedDataView(data, image, policy, label, () => new FixedCopyCounter(copiesPerImage),
            (ulong)(uint)(seed ?? DefaultSeed), rows);
    }

    /// <summary>
    /// Rebalances classes by augmentation: every class with fewer rows than the target (default: the largest
    /// class's count) gets augmented copies of its own images until it reaches the target, spread evenly over
    /// its rows. Original rows are all kept; classes at or above the target get no copies. Counts the labels
    /// once (reading only the label column); the result is lazy like
    /// <see cref="AugmentImages(DataOperationsCatalog, IDataView, string, AugmentationPolicy, int, string?, int?)"/>.
    /// </summary>
    /// <param name="catalog">The data operations catalog.</param>
    /// <param name="data">The data.</param>
    /// <param name="imageColumnName">An image column.</param>
    /// <param name="labelColumnName">The label column (text, key, boolean or number).</param>
    /// <param name="policy">The policy (a class-dependent one, or a plain <see cref="AugmentationPolicy"/>).</param>
    /// <param name="targetCountPerClass">Rows wanted per class; null: the majority class's count.</param>
    /// <param name="seed">Seed of every random draw; null uses <see cref="DefaultSeed"/>.</param>
    /// <remarks>A convenience shortcut: random draws are seeded by <paramref name="seed"/>, or by <see cref="DefaultSeed"/>
    /// when it is null, never by your MLContext (ML.NET does not expose a catalog's context).
    /// <c>mlContext.DeepLearning().Data.BalanceClassesByAugmenting(...)</c> uses your MLContext: without a seed it draws
    /// one from the context, so <c>new MLContext(seed)</c> makes the augmentation reproducible.</remarks>
    public static IDataView BalanceClassesByAugmenting(this DataOperationsCatalog catalog, IDataView data,
        string imageColumnName, string labelColumnName, ClassAugmentationPolicy policy, int? targetCountPerClass = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(policy);
        var image = CheckImageColumn(data.Schema, imageColumnName);
        var label = LabelTextReader.CheckColumn(data.Schema, labelColumnName, nameof(labelColumnName));
        if (targetCountPerClass is int t && t < 1)
            throw new ArgumentOutOfRangeException(nameof(targetCountPerClass), t, $"{nameof(targetCountPerClass)} must be >= 1; got {t}.");
        var counts = CountLabels(data, label);
        long target = targetCountPerClass ?? (counts.Count == 0 ? 0 : counts.Values.Max());
        return new AugmentedDataView(data, image, policy, label, () => new BalancingCopyCounter(counts, target),
            (ulong)(uint)(seed ?? DefaultSeed), BalancingCopyCounter.TotalRows(counts, target));
    }

    /// <summary>Rows per label value (labels as text, as matched by <see cref="ClassAugmentationPolicy"/>).</summary>
    /// <param name="catalog">The data operations catalog.</param>
    /// <param name="data">The data.</param>
    /// <param name="labelColumnName">The label column (text, key, boolean or number).</param>
    public static IReadOnlyDictionary<string, long> CountRowsPerLabel(this DataOperationsCatalog catalog, IDataView data, string labelColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        return CountLabels(data, LabelTextReader.CheckColumn(data.Schema, labelColumnName, nameof(labelColumnName)));
    }

    private static Dictionary<string, long> CountLabels(IDataView data, DataViewSchema.Column label)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var cursor = data.GetRowCursor(new[] { label });
        var read = LabelTextReader.Create(cursor, label);
        while (cursor.MoveNext())
        {
            string value = read();
            counts[value] = counts.TryGetValue(value, out long c) ? c + 1 : 1;
        }
        return counts;
    }

    private static DataViewSchema.Column CheckImageColumn(DataViewSchema schema, string imageColumnName)
    {
        ArgumentNullException.ThrowIfNull(imageColumnName);
        var column = schema.GetColumnOrNull(imageColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(imageColumnName), imageColumnName,
                $"Image column '{imageColumnName}' not found; the data has columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is not ImageDataViewType)
            throw new ArgumentException(
                $"Column '{imageColumnName}' must be an image column (MLImage, e.g. from LoadImages); found {column.Type}.", nameof(imageColumnName));
        return column;
    }
}
