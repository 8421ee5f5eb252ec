using MlNetExt.Vision.Classification;

namespace MlNetExt;

/// <summary>
/// MlNetExt.Vision's entry points on <c>mlContext.DeepLearning()</c>: the transfer-learned image classifiers. Trainers
/// made here use your MLContext (its log and GPU settings, and its seed when the options set none).
/// </summary>
public static class VisionDeepLearningExtensions
{
    /// <summary>
    /// A multiclass image classifier transfer-learned from a pretrained backbone (default: the shipped ImageNet
    /// MobileNetV2, staged training). The label is a key column; the features an MLImage column or raw pixels.
    /// </summary>
    /// <param name="catalog">The multiclass trainers of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="featureColumnName">MLImage column or float vector of raw pixels.</param>
    /// <param name="strategy">Frozen, fine-tune or staged training.</param>
    /// <param name="epochs">Epochs in all.</param>
    /// <param name="imageSize">Side of the square image the backbone sees.</param>
    /// <returns>The trainer.</returns>
    public static ImageClassificationTrainer ImageClassifier(this DeepLearningCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Image", TransferStrategy strategy = TransferStrategy.Staged,
        int epochs = 10, int imageSize = 64)
        => ImageClassifier(catalog, ImageClassifierCatalog.SimpleOptions(labelColumnName, featureColumnName, strategy, epochs, imageSize));

    /// <summary>A multiclass image classifier with full options.</summary>
    /// <param name="catalog">The multiclass trainers of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="options">The options.</param>
    /// <returns>The trainer.</returns>
    public static ImageClassificationTrainer ImageClassifier(this DeepLearningCatalog.MulticlassClassificationTrainers catalog,
        ImageClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ImageClassificationTrainer(catalog.Context, options);
    }

    /// <summary>
    /// A binary image classifier transfer-learned from a pretrained backbone. The label is a Boolean column; outputs
    /// Score (logit), Probability and a Boolean PredictedLabel.
    /// </summary>
    /// <param name="catalog">The binary trainers of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="featureColumnName">MLImage column or float vector of raw pixels.</param>
    /// <param name="strategy">Frozen, fine-tune or staged training.</param>
    /// <param name="epochs">Epochs in all.</param>
    /// <param name="imageSize">Side of the square image the backbone sees.</param>
    /// <returns>The trainer.</returns>
    public static BinaryImageClassificationTrainer ImageClassifier(this DeepLearningCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Image", TransferStrategy strategy = TransferStrategy.Staged,
        int epochs = 10, int imageSize = 64)
        => ImageClassifier(catalog, ImageClassifierCatalog.SimpleOptions(labelColumnName, featureColumnName, strategy, epochs, imageSize));

    /// <summary>A binary image classifier with full options.</summary>
    /// <param name="catalog">The binary trainers of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="options">The options.</param>
    /// <returns>The trainer.</returns>
    public static BinaryImageClassificationTrainer ImageClassifier(this DeepLearningCatalog.BinaryClassificationTrainers catalog,
        ImageClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BinaryImageClassificationTrainer(catalog.Context, options);
    }
}
