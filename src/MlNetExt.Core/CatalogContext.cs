using Microsoft.ML;

namespace MlNetExt.Core;

/// <summary>
/// The MLContext that MlNetExt's catalog extension methods (e.g. <c>mlContext.Regression.Trainers.NeuralPoisson(...)</c>)
/// train under.
/// </summary>
/// <remarks>
/// ML.NET does not expose a catalog's MLContext publicly, and MlNetExt never reflects into ML.NET internals, so catalog
/// shortcuts train under a context of their own, seeded by the options' seed (0 when none is given). The primary path,
/// <c>mlContext.DeepLearning()</c> (<see cref="MlNetExt.DeepLearningCatalog"/>), uses your MLContext: its seed, log and
/// GPU settings.
/// </remarks>
public static class CatalogContext
{
    /// <summary>A new MLContext seeded with <paramref name="seed"/>, or 0 when it is null.</summary>
    /// <param name="seed">The options' seed, if any.</param>
    public static MLContext For(int? seed) => new(seed ?? 0);
}
