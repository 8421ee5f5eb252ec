using MlNetExt.Core;
using Microsoft.ML;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// ML.NET catalog shortcuts to the transfer-learned image classifiers. They train with a private context seeded by
/// <c>Options.Seed</c> (default 0) and log nowhere: prefer <c>mlContext.DeepLearning().MulticlassClassification.Trainers.ImageClassifier</c>
/// (and <c>.BinaryClassification</c>), which use the user's MLContext for the seed and the log.
/// </summary>
public static class ImageClassifierCatalog
{
    /// <summary>
    /// A multiclass image classifier transfer-learned from a pretrained backbone (default: the shipped ImageNet
    /// MobileNetV2, staged training). The label is a key column; the features an MLImage column or raw pixels.
    /// </summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="featureColumnName">MLImage column or float vector of raw pixels.</param>
    /// <param name="strategy">Frozen, fine-tune or staged training.</param>
    /// <param name="epochs">Epochs in all; 0 (default): chosen from the number of training images (about 300 optimizer
    /// steps with a pretrained backbone, 600 from scratch; at least 5 epochs).</param>
    /// <param name="imageSize">Side of the square image the backbone sees.</param>
    /// <remarks>A convenience shortcut: the trainer runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it.
    /// <c>mlContext.DeepLearning().MulticlassClassification.Trainers.ImageClassifier(...)</c> uses your MLContext: its
    /// seed, log and GPU settings.</remarks>
    public static ImageClassificationTrainer ImageClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Image", TransferStrategy strategy = TransferStrategy.Staged,
        int epochs = 0, int imageSize = 64)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.ImageClassifier(SimpleOptions(labelColumnName, featureColumnName, strategy, epochs, imageSize));
    }

    /// <summary>A multiclass image classifier with full options.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The options.</param>
    /// <remarks>A convenience shortcut: the trainer runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it.
    /// <c>mlContext.DeepLearning().MulticlassClassification.Trainers.ImageClassifier(...)</c> uses your MLContext: its
    /// seed, log and GPU settings.</remarks>
    public static ImageClassificationTrainer ImageClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        ImageClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ImageClassificationTrainer(CatalogContext.For(options.Seed), options);
    }

    /// <summary>
    /// A binary image classifier transfer-learned from a pretrained backbone. The label is a Boolean column; outputs
    /// Score (logit), Probability and a Boolean PredictedLabel.
    /// </summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="featureColumnName">MLImage column or float vector of raw pixels.</param>
    /// <param name="strategy">Frozen, fine-tune or staged training.</param>
    /// <param name="epochs">Epochs in all; 0 (default): chosen from the number of training images (about 300 optimizer
    /// steps with a pretrained backbone, 600 from scratch; at least 5 epochs).</param>
    /// <param name="imageSize">Side of the square image the backbone sees.</param>
    /// <remarks>A convenience shortcut: the trainer runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it.
    /// <c>mlContext.DeepLearning().BinaryClassification.Trainers.ImageClassifier(...)</c> uses your MLContext: its seed,
    /// log and GPU settings.</remarks>
    public static BinaryImageClassificationTrainer ImageClassifier(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Image", TransferStrategy strategy = TransferStrategy.Staged,
        int epochs = 0, int imageSize = 64)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.ImageClassifier(SimpleOptions(labelColumnName, featureColumnName, strategy, epochs, imageSize));
    }

    /// <summary>A binary image classifier with full options.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="options">The options.</param>
    /// <remarks>A convenience shortcut: the trainer runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it.
    /// <c>mlContext.DeepLearning().BinaryClassification.Trainers.ImageClassifier(...)</c> uses your MLContext: its seed,
    /// log and GPU settings.</remarks>
    public static BinaryImageClassificationTrainer ImageClassifier(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        ImageClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new BinaryImageClassificationTrainer(CatalogContext.For(options.Seed), options);
    }

    internal static ImageClassifierOptions SimpleOptions(string labelColumnName, string featureColumnName,
        TransferStrategy strategy, int epochs, int imageSize) => new()
    {
        LabelColumnName = labelColumnName,
        FeatureColumnName = featureColumnName,
        Strategy = strategy,
        Epochs = epochs,
        ImageSize = imageSize,
    };
}
