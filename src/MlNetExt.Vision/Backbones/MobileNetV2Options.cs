namespace MlNetExt.Vision.Backbones;

/// <summary>Options of <see cref="MobileNetV2"/> (width 1.0).</summary>
public sealed class MobileNetV2Options : BackboneOptions
{
    /// <summary>Number of inverted-residual blocks (Keras <c>block_0</c> .. <c>block_16</c>).</summary>
    public const int BlockCount = 17;

    /// <summary>
    /// Reproduce Keras' MobileNetV2 (the layout of Keras ImageNet weights) instead of torchvision's:
    /// stride-2 3x3 convolutions (the stem and the stride-2 depthwise convs) use TensorFlow "same" padding
    /// (zero padding of <c>((0,1),(0,1))</c>, bottom/right only, for even input sizes; <c>((1,1),(1,1))</c> for odd
    /// ones, as Keras' <c>correct_pad</c>) followed by a 'valid' conv, instead of symmetric padding 1; and
    /// BatchNorm epsilon 1e-3 instead of 1e-5 (unless <see cref="BatchNormEpsilon"/> is set).
    /// Parameter names stay torchvision's.
    /// </summary>
    public bool KerasCompatible { get; set; }

    /// <summary>BatchNorm epsilon; <c>null</c>: 1e-3 when <see cref="KerasCompatible"/>, else 1e-5.</summary>
    public double? BatchNormEpsilon { get; set; }

    /// <summary>Dropout probability before the classifier's linear layer (torchvision: 0.2).</summary>
    public double Dropout { get; set; } = 0.2;

    /// <summary>Effective BatchNorm epsilon.</summary>
    public double EffectiveBatchNormEpsilon => BatchNormEpsilon ?? (KerasCompatible ? 1e-3 : 1e-5);

    /// <summary>
    /// Stage name (for <see cref="BackboneOptions.TruncateAfter"/>) of inverted-residual block
    /// <paramref name="blockIndex"/> in Keras numbering: block 0 (Keras <c>expanded_conv</c>) is <c>features.1</c>,
    /// Keras <c>block_10</c> is <c>features.11</c>.
    /// </summary>
    public static string StageOfBlock(int blockIndex)
    {
        if (blockIndex < 0 || blockIndex >= BlockCount)
        {
            throw new ArgumentOutOfRangeException(nameof(blockIndex), blockIndex, $"MobileNetV2 blocks are numbered 0..{BlockCount - 1}.");
        }

        return "features." + (blockIndex + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
