using MlNetExt.Core;
using Microsoft.ML;

namespace MlNetExt.Regression.Gaussian;

/// <summary>The NeuralGaussian trainer on <c>mlContext.Regression.Trainers</c>.</summary>
/// <remarks>
/// A convenience shortcut. ML.NET does not expose a catalog's <see cref="MLContext"/> to other assemblies, so a trainer
/// made here runs on a private context seeded with <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when
/// unset): training is reproducible, but messages do not reach your <c>mlContext.Log</c> and ONNX scoring uses the CPU.
/// The primary path, <c>mlContext.DeepLearning().Regression.Trainers.NeuralGaussian(...)</c>, uses your context (its
/// seed, log and GPU settings).
/// </remarks>
public static class NeuralGaussianCatalog
{
    /// <summary>
    /// An MLP that predicts a mean (<paramref name="scoreColumnName"/>) and a standard deviation
    /// (<paramref name="stdDevColumnName"/>) for every prediction, trained on the Gaussian negative log-likelihood
    /// (beta-NLL with beta = 0.5). The label is a numeric scalar or known-size vector (Single, Double, an integer type or
    /// Boolean; one mean and one standard deviation per coordinate); the features are a known-size numeric vector (the same types; converted to Single for the exported graph).
    /// </summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="featureColumnName">The feature column.</param>
    /// <param name="scoreColumnName">The predicted mean column.</param>
    /// <param name="stdDevColumnName">The predicted standard deviation column.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per minibatch.</param>
    /// <param name="learningRate">The AdamW learning rate.</param>
    /// <returns>The trainer.</returns>
    /// <remarks>A convenience shortcut: the trainer runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it.
    /// <c>mlContext.DeepLearning().Regression.Trainers.NeuralGaussian(...)</c> uses your MLContext: its seed, log and GPU
    /// settings.</remarks>
    public static NeuralGaussianTrainer NeuralGaussian(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string scoreColumnName = "Score",
        string stdDevColumnName = "ScoreStdDev", int epochs = 50, int batchSize = 64, float learningRate = 1e-3f)
        => NeuralGaussian(catalog, Options(labelColumnName, featureColumnName, scoreColumnName, stdDevColumnName, epochs, batchSize, learningRate));

    /// <summary>The NeuralGaussian trainer with every option.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">The options.</param>
    /// <returns>The trainer.</returns>
    /// <remarks>A convenience shortcut: the trainer runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it.
    /// <c>mlContext.DeepLearning().Regression.Trainers.NeuralGaussian(...)</c> uses your MLContext: its seed, log and GPU
    /// settings.</remarks>
    public static NeuralGaussianTrainer NeuralGaussian(this RegressionCatalog.RegressionTrainers catalog, NeuralGaussianOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new NeuralGaussianTrainer(CatalogContext.For(options.Seed), options);
    }

    /// <summary>The options the simple-arguments overload describes.</summary>
    internal static NeuralGaussianOptions Options(string labelColumnName, string featureColumnName, string scoreColumnName,
        string stdDevColumnName, int epochs, int batchSize, float learningRate) => new()
    {
        LabelColumnName = labelColumnName,
        FeatureColumnName = featureColumnName,
        ScoreColumnName = scoreColumnName,
        StdDevColumnName = stdDevColumnName,
        Epochs = epochs,
        BatchSize = batchSize,
        LearningRate = learningRate,
    };
}
