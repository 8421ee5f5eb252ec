using MlNetExt.Core;
using Microsoft.ML;

namespace MlNetExt.Regression.Counts;

/// <summary>
/// Neural count trainers on <c>mlContext.Regression.Trainers</c>.
/// </summary>
/// <remarks>
/// Convenience shortcuts. ML.NET does not expose a catalog's <see cref="MLContext"/> to other assemblies, so trainers
/// made through these extension methods run on a private context seeded with
/// <see cref="Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset): training is reproducible, but messages do not
/// reach your <c>mlContext.Log</c> and ONNX scoring uses the CPU. The primary path,
/// <c>mlContext.DeepLearning().Regression.Trainers.NeuralPoisson(...)</c>, uses your context (its seed, log and GPU settings).
/// </remarks>
public static class CountTrainersCatalog
{
    /// <summary>Neural Poisson regression: an MLP predicts the log-rate; trained by the full Poisson NLL.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Counts: a numeric scalar, or a vector with one count per output.</param>
    /// <param name="featureColumnName">Features: a known-size numeric vector (or scalar).</param>
    /// <param name="hiddenLayers">Hidden layer sizes; null: {64, 64}; empty: log-linear model.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <param name="exposureColumnName">Optional exposure column (expected count = exposure × rate).</param>
    /// <returns>The trainer.</returns>
    /// <remarks>A convenience shortcut: the trainer runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it.
    /// <c>mlContext.DeepLearning().Regression.Trainers.NeuralPoisson(...)</c> uses your MLContext: its seed, log and GPU
    /// settings.</remarks>
    public static NeuralPoissonTrainer NeuralPoisson(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null, int epochs = 30,
        string? exposureColumnName = null)
        => NeuralPoisson(catalog, Options<NeuralPoissonOptions>(labelColumnName, featureColumnName, hiddenLayers, epochs, exposureColumnName));

    /// <summary>Neural Poisson regression with full options.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">Training options.</param>
    /// <returns>The trainer.</returns>
    /// <remarks>A convenience shortcut: the trainer runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it.
    /// <c>mlContext.DeepLearning().Regression.Trainers.NeuralPoisson(...)</c> uses your MLContext: its seed, log and GPU
    /// settings.</remarks>
    public static NeuralPoissonTrainer NeuralPoisson(this RegressionCatalog.RegressionTrainers catalog, NeuralPoissonOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new NeuralPoissonTrainer(CatalogContext.For(options.Seed), options);
    }

    /// <summary>Neural negative-binomial (NB2) regression: an MLP predicts the log-rate; one dispersion per output is learnt.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Counts: a numeric scalar, or a vector with one count per output.</param>
    /// <param name="featureColumnName">Features: a known-size numeric vector (or scalar).</param>
    /// <param name="hiddenLayers">Hidden layer sizes; null: {64, 64}; empty: log-linear model.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <param name="exposureColumnName">Optional exposure column (expected count = exposure × rate).</param>
    /// <returns>The trainer.</returns>
    /// <remarks>A convenience shortcut: the trainer runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it.
    /// <c>mlContext.DeepLearning().Regression.Trainers.NeuralNegativeBinomial(...)</c> uses your MLContext: its seed, log
    /// and GPU settings.</remarks>
    public static NeuralNegativeBinomialTrainer NeuralNegativeBinomial(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null, int epochs = 30,
        string? exposureColumnName = null)
        => NeuralNegativeBinomial(catalog, Options<NeuralNegativeBinomialOptions>(labelColumnName, featureColumnName, hiddenLayers, epochs, exposureColumnName));

    /// <summary>Neural negative-binomial regression with full options.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">Training options.</param>
    /// <returns>The trainer.</returns>
    /// <remarks>A convenience shortcut: the trainer runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it.
    /// <c>mlContext.DeepLearning().Regression.Trainers.NeuralNegativeBinomial(...)</c> uses your MLContext: its seed, log
    /// and GPU settings.</remarks>
    public static NeuralNegativeBinomialTrainer NeuralNegativeBinomial(this RegressionCatalog.RegressionTrainers catalog, NeuralNegativeBinomialOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new NeuralNegativeBinomialTrainer(CatalogContext.For(options.Seed), options);
    }

    /// <summary>The options the simple-arguments overloads describe.</summary>
    internal static TOptions Options<TOptions>(string labelColumnName, string featureColumnName, int[]? hiddenLayers, int epochs,
        string? exposureColumnName) where TOptions : NeuralCountTrainerOptions, new() => new()
    {
        LabelColumnName = labelColumnName,
        FeatureColumnName = featureColumnName,
        HiddenLayers = hiddenLayers ?? new[] { 64, 64 },
        Epochs = epochs,
        ExposureColumnName = exposureColumnName,
    };
}
