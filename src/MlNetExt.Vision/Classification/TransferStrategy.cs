namespace MlNetExt.Vision.Classification;

/// <summary>How the image classifier uses its (pretrained) backbone during training.</summary>
public enum TransferStrategy
{
    /// <summary>
    /// The backbone never changes: its pooled features are computed once and cached (or per batch, under no_grad,
    /// when augmentation is on) and only the head trains. Fastest on the CPU.
    /// </summary>
    Frozen,

    /// <summary>Backbone and head train together from the first epoch (backbone learning rate scaled by
    /// <see cref="ImageClassifierOptions.BackboneLearningRateMultiplier"/>).</summary>
    FineTune,

    /// <summary>
    /// <see cref="ImageClassifierOptions.HeadEpochs"/> epochs with the backbone frozen (cached features), then the
    /// whole network fine-tunes for the remaining epochs.
    /// </summary>
    Staged,
}
