using MlNetExt.Core.Training;
using MlNetExt.ImageAugmentation;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Options of the transfer-learned image classifier (<c>MulticlassClassification.Trainers.ImageClassifier</c> and
/// <c>BinaryClassification.Trainers.ImageClassifier</c>). The defaults work without tuning for every backbone, pretrained
/// or random, on tiny and on ordinary data sets: the shipped MobileNetV2 backbone, staged training, 64 x 64 inputs,
/// batches of 16, a training length chosen from the data size, head-only epochs at 3x the learning rate, and a backbone
/// learning rate that depends on whether the backbone is pretrained (see docs/image-classifier.md for the measurements).
/// </summary>
/// <remarks>
/// <para>The feature column (<see cref="NeuralTrainerOptions.FeatureColumnName"/>, default <c>Image</c>) is either an
/// <c>MLImage</c> column (from <c>LoadImages</c>; any size, resized to <see cref="ImageSize"/>) or a float vector of raw
/// pixels in [0, 255], planar channel-major (<c>C x H x W</c>, the layout of <c>ExtractPixels</c>' default), with 1 (gray)
/// or 3 (RGB) channels. Square images are recognised from the vector size; other shapes need
/// <see cref="InputHeight"/>, <see cref="InputWidth"/> and <see cref="InputChannels"/>. Gray images are replicated to three
/// channels; raw vectors of another size are resized bilinearly inside the model.</para>
/// <para>The label is a key column (<c>MapValueToKey</c>) for multiclass, a bool column for binary classification.</para>
/// <para><see cref="NeuralTrainerOptions.Epochs"/> defaults to 0 here: the trainer chooses the number of epochs from the
/// number of training images, enough for about 240 optimizer steps of staged training on a pretrained backbone (300 to
/// fine-tune one, 600 for a backbone trained from scratch, 1000 for <see cref="TransferStrategy.Frozen"/>, where only the
/// head learns on features computed once) and at least 5 epochs (50 images at batch size 16: 60 epochs staged, 75
/// fine-tuned, 150 from scratch, 250 frozen; 50,000 images: 5). Any positive value is used as given.</para>
/// </remarks>
public class ImageClassifierOptions : NeuralTrainerOptions
{
    /// <summary>Creates options with the image classifier's defaults.</summary>
    public ImageClassifierOptions()
    {
        FeatureColumnName = "Image";
        Epochs = AutomaticEpochs;
        BatchSize = 16;
        LearningRate = 1e-3f;
    }

    /// <summary>
    /// The value of <see cref="NeuralTrainerOptions.Epochs"/> (its default here) that lets the trainer choose the
    /// training length from the number of training images: enough epochs for <see cref="PretrainedTrainingSteps"/>
    /// optimizer steps (<see cref="StagedTrainingSteps"/> for staged training of a pretrained backbone,
    /// <see cref="ScratchTrainingSteps"/> for a backbone trained from scratch, <see cref="FrozenTrainingSteps"/> for frozen
    /// training), and at least <see cref="AutomaticMinimumEpochs"/> epochs. Any positive value is used as given.
    /// </summary>
    internal const int AutomaticEpochs = 0;

    /// <summary>Optimizer steps the automatic training length aims for when fine-tuning a pretrained backbone (300: 75 epochs
    /// of 50 images at batch size 16).</summary>
    internal const int PretrainedTrainingSteps = 300;

    /// <summary>Optimizer steps the automatic training length aims for with a randomly initialised backbone, which has
    /// everything to learn (600).</summary>
    internal const int ScratchTrainingSteps = 600;

    /// <summary>Optimizer steps the automatic training length aims for with <see cref="TransferStrategy.Frozen"/> (1000): only
    /// the head learns, on features computed once, so a step costs little, and a linear head at the head-only learning
    /// rate was still under-trained after 300 steps (docs/image-classifier.md).</summary>
    internal const int FrozenTrainingSteps = 1000;

    /// <summary>Optimizer steps the automatic training length aims for with <see cref="TransferStrategy.Staged"/> on a
    /// pretrained backbone (240, half of them head-only): at 300 steps staged training trailed the hand-tuned settings of
    /// the DetectingTumors sample at 64 px (mean AUC of ten seeds 0.831 against 0.845; 0.842 at 240 steps), while the
    /// ten-shot sweep scores the same at both lengths (docs/image-classifier.md).</summary>
    internal const int StagedTrainingSteps = 240;

    /// <summary>Fewest epochs of the automatic training length (5: what large data sets get).</summary>
    internal const int AutomaticMinimumEpochs = 5;

    /// <summary>Architecture and weights to start from; default the shipped ImageNet MobileNetV2 (blocks 0..10).</summary>
    public ImageBackbone Backbone { get; set; } = ImageBackbone.Default;

    /// <summary>Side of the square image the backbone sees, in pixels (default 64).</summary>
    public int ImageSize { get; set; } = 64;

    /// <summary>How the backbone trains (default <see cref="TransferStrategy.Staged"/>).</summary>
    public TransferStrategy Strategy { get; set; } = TransferStrategy.Staged;

    /// <summary>Staged strategy: epochs of the first, head-only stage (the rest of <see cref="NeuralTrainerOptions.Epochs"/>
    /// fine-tunes everything). Default: half of the epochs, at least one.</summary>
    public int? HeadEpochs { get; set; }

    /// <summary>Learning-rate multiplier of the backbone's parameters when they train (fine-tune and the second stage of
    /// staged training); the head keeps <see cref="NeuralTrainerOptions.LearningRate"/>. Default null: 1 for a backbone
    /// trained from scratch (<see cref="ImageBackbone.IsPretrained"/> false), 0.3 for a pretrained one.</summary>
    public float? BackboneLearningRateMultiplier { get; set; }

    /// <summary>The backbone learning-rate multiplier a pretrained backbone gets when
    /// <see cref="BackboneLearningRateMultiplier"/> is null.</summary>
    internal const float PretrainedBackboneLearningRateMultiplier = 0.3f;

    /// <summary>Learning-rate multiplier of the head-only epochs (frozen training and the first stage of staged training),
    /// relative to <see cref="NeuralTrainerOptions.LearningRate"/>. Default 3: a freshly initialised head on fixed
    /// features takes a larger step than fine-tuning (10, the earlier default, over-fits a rare class; see
    /// docs/image-classifier.md).</summary>
    public float HeadLearningRateMultiplier { get; set; } = 3f;

    /// <summary>Widths of hidden layers of the head (ReLU, dropout) before the output layer; default none (a linear head).</summary>
    public IReadOnlyList<int> HeadHiddenLayers { get; set; } = Array.Empty<int>();

    /// <summary>Dropout probability before each layer of the head (default 0: on small data sets dropout before a linear
    /// head on fixed features only slowed learning; see docs/image-classifier.md).</summary>
    public float Dropout { get; set; }

    /// <summary>Label smoothing of the multiclass cross-entropy, in [0, 1) (default 0).</summary>
    public float LabelSmoothing { get; set; }

    /// <summary>Per-class loss weights, indexed by the label's key index (0-based); null: all 1.</summary>
    public IReadOnlyList<float>? ClassWeights { get; set; }

    /// <summary>How rare classes are compensated for (ignored when <see cref="ClassWeights"/> is given): inverse-frequency
    /// loss weights, or class-balanced resampling of every epoch. Default <see cref="Classification.ClassBalancing.None"/>.</summary>
    public ClassBalancing ClassBalancing { get; set; } = ClassBalancing.None;

    /// <summary>Same as <see cref="ClassBalancing"/> = <see cref="Classification.ClassBalancing.LossWeights"/> (when
    /// <see cref="ClassBalancing"/> is left at None). Default false.</summary>
    [Obsolete("Use ClassBalancing = ClassBalancing.LossWeights (or ClassBalancing.Resampling).")]
    public bool BalanceClasses { get; set; }

    /// <summary>The balancing in effect: none when <see cref="ClassWeights"/> are given, else <see cref="ClassBalancing"/>, or
    /// LossWeights from the obsolete <c>BalanceClasses</c>.</summary>
#pragma warning disable CS0618 // the obsolete switch still works
    internal ClassBalancing EffectiveClassBalancing =>
        ClassWeights is not null ? ClassBalancing.None
        : ClassBalancing == ClassBalancing.None && BalanceClasses ? ClassBalancing.LossWeights : ClassBalancing;
#pragma warning restore CS0618

    /// <summary>Augmentation applied on the fly to each training batch, fresh every epoch (the batched tensor
    /// augmenter); default none. Never applied to validation data or at scoring time.</summary>
    public AugmentationPolicy Augmentation { get; set; } = AugmentationPolicy.None;

    /// <summary>Raw pixel vector input: channels (1 or 3); null: inferred from the vector size (square images).</summary>
    public int? InputChannels { get; set; }

    /// <summary>Raw pixel vector input: image height; null: inferred (square images).</summary>
    public int? InputHeight { get; set; }

    /// <summary>Raw pixel vector input: image width; null: inferred (square images).</summary>
    public int? InputWidth { get; set; }

    /// <summary>Name of the score column (class probabilities; for binary classification the raw score).</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>Name of the predicted-label column.</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>The backbone learning-rate multiplier in effect (see <see cref="BackboneLearningRateMultiplier"/>).</summary>
    internal float EffectiveBackboneLearningRateMultiplier =>
        BackboneLearningRateMultiplier ?? (Backbone.IsPretrained ? PretrainedBackboneLearningRateMultiplier : 1f);

    /// <summary>The number of epochs in effect for <paramref name="trainingRows"/> training images (see <see cref="AutomaticEpochs"/>).</summary>
    internal int EffectiveEpochs(long trainingRows)
    {
        if (Epochs != AutomaticEpochs)
            return Epochs;
        long steps = Strategy == TransferStrategy.Frozen ? FrozenTrainingSteps
            : !Backbone.IsPretrained ? ScratchTrainingSteps
            : Strategy == TransferStrategy.Staged ? StagedTrainingSteps : PretrainedTrainingSteps;
        long batchesPerEpoch = Math.Max(1, (trainingRows + BatchSize - 1) / BatchSize);
        return (int)Math.Max(AutomaticMinimumEpochs, (steps + batchesPerEpoch - 1) / batchesPerEpoch);
    }

    /// <summary>A shallow copy (the trainer substitutes preprocessed validation data in the copy).</summary>
    internal ImageClassifierOptions Copy() => (ImageClassifierOptions)MemberwiseClone();
}
