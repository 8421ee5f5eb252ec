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
    /// <remarks>A convenience shortcut: the estimator runs under a private MLContext (the fit is closed-form and draws no
    /// random numbers), so messages do not reach your <c>mlContext.Log</c> and your context's GPU settings do not reach the
    /// fitted model's scoring. <c>mlContext.DeepLearning().Transforms.LinearCca(...)</c> uses your MLContext: its log and
    /// GPU settings.</remarks>
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
    /// <remarks>A convenience shortcut: the estimator runs under a private MLContext (the fit is closed-form and draws no
    /// random numbers), so messages do not reach your <c>mlContext.Log</c> and your context's GPU settings do not reach the
    /// fitted model's scoring. <c>mlContext.DeepLearning().Transforms.LinearCca(...)</c> uses your MLContext: its log and
    /// GPU settings.</remarks>
    public static LinearCcaEstimator LinearCca(this TransformsCatalog catalog, string viewAColumnName = "ViewA",
        string viewBColumnName = "ViewB", int components = 2) =>
        LinearCca(catalog, new LinearCcaOptions { ViewAColumnName = viewAColumnName, ViewBColumnName = viewBColumnName, Components = components });

    /// <summary>Deep CCA (Andrew et al. 2013): one encoder per view trained to maximise the top-k canonical correlations.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Columns, encoders and training options.</param>
    /// <returns>The estimator.</returns>
    /// <remarks>A convenience shortcut: the estimator runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it. <c>mlContext.DeepLearning().Transforms.DeepCca(...)</c> uses
    /// your MLContext: its seed, log and GPU settings.</remarks>
    public static DeepCcaEstimator DeepCca(this TransformsCatalog catalog, DeepCcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new DeepCcaEstimator(CatalogContext.For(options.Seed), options);
    }
}
