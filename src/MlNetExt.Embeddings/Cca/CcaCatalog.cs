using MlNetExt.Core;
using Microsoft.ML;

namespace MlNetExt.Embeddings.Cca;

/// <summary>CCA estimators as extensions of <see cref="TransformsCatalog"/>.</summary>
/// <remarks>These shortcuts train under a context of their own (<see cref="CatalogContext"/>, seeded by the options' seed, 0
/// when none is given), so your MLContext's log, seed and GPU settings do not reach them. Prefer
/// <c>mlContext.DeepLearning().Transforms.LinearCca(...)</c> / <c>.DeepCca(...)</c>, which use your MLContext.</remarks>
public static class CcaCatalog
{
    /// <summary>Closed-form regularised linear CCA of two view columns.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Columns, number of components and regularisation.</param>
    /// <returns>The estimator.</returns>
    public static LinearCcaEstimator LinearCca(this TransformsCatalog catalog, LinearCcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new LinearCcaEstimator(CatalogContext.For(null), options);
    }

    /// <summary>Closed-form regularised linear CCA of two view columns.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="viewAColumnName">The first view.</param>
    /// <param name="viewBColumnName">The second view.</param>
    /// <param name="components">Number of canonical pairs.</param>
    /// <returns>The estimator.</returns>
    public static LinearCcaEstimator LinearCca(this TransformsCatalog catalog, string viewAColumnName = "ViewA",
        string viewBColumnName = "ViewB", int components = 2) =>
        LinearCca(catalog, new LinearCcaOptions { ViewAColumnName = viewAColumnName, ViewBColumnName = viewBColumnName, Components = components });

    /// <summary>Deep CCA (Andrew et al. 2013): one encoder per view trained to maximise the top-k canonical correlations.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Columns, encoders and training options.</param>
    /// <returns>The estimator.</returns>
    public static DeepCcaEstimator DeepCca(this TransformsCatalog catalog, DeepCcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new DeepCcaEstimator(CatalogContext.For(options.Seed), options);
    }
}
