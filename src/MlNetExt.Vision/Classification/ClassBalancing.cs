namespace MlNetExt.Vision.Classification;

/// <summary>How the image classifier compensates for classes with few training images.</summary>
public enum ClassBalancing
{
    /// <summary>No compensation: every image counts once per epoch (unless <see cref="ImageClassifierOptions.ClassWeights"/> are given).</summary>
    None,

    /// <summary>Each class's loss is weighted by the inverse of its frequency in the training data; batches are drawn
    /// as usual.</summary>
    LossWeights,

    /// <summary>
    /// Every epoch draws a fresh class-balanced sample of the training set (same number of rows as the training set):
    /// each class gets an equal share of the rows, rare classes repeated (every image about equally often), frequent
    /// classes subsampled without repetition. Augmentation then sees each repeat differently. Needs the training data
    /// (or the cached features) in memory.
    /// </summary>
    Resampling,
}
