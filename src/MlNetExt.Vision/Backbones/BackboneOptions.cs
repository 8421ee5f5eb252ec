namespace MlNetExt.Vision.Backbones;

/// <summary>
/// Options shared by every backbone: the classifier width and where to cut the network.
/// </summary>
public class BackboneOptions
{
    /// <summary>
    /// Number of classes of the built-in classifier (<c>fc</c> / <c>classifier.1</c>), 1000 for ImageNet weights.
    /// <c>null</c> builds a headless backbone whose forward returns the pooled features.
    /// Ignored (no classifier) when <see cref="TruncateAfter"/> is set.
    /// </summary>
    public int? NumClasses { get; set; } = 1000;

    /// <summary>
    /// Name of the last stage to keep (for example <c>"layer3"</c> for ResNet or <c>"features.11"</c> for
    /// MobileNetV2); later stages and the classifier are not built. <c>null</c> keeps the whole network.
    /// </summary>
    public string? TruncateAfter { get; set; }

    /// <summary>Number of input image channels (3 for RGB).</summary>
    public int InputChannels { get; set; } = 3;

    /// <summary>The width of the built-in classifier to build: <see cref="NumClasses"/>, or null when the backbone is
    /// headless (no <see cref="NumClasses"/>, or <see cref="TruncateAfter"/> set).</summary>
    /// <param name="parameterName">The options' parameter name, for the exception.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="NumClasses"/> is below 1.</exception>
    internal int? ClassifierWidth(string parameterName)
    {
        if (TruncateAfter is not null || NumClasses is not int classes)
            return null;
        if (classes < 1)
            throw new ArgumentOutOfRangeException(parameterName, classes, "NumClasses must be at least 1 (or null for no classifier).");
        return classes;
    }
}
