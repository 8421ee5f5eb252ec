namespace MlNetExt.Vision.Backbones;

/// <summary>Options of <see cref="SmallCnn"/>.</summary>
public sealed class SmallCnnOptions : BackboneOptions
{
    /// <summary>Creates options with 10 classes (the usual small-image data sets).</summary>
    public SmallCnnOptions()
    {
        NumClasses = 10;
    }

    /// <summary>Output channels of each conv-bn-relu block; every block but the last halves the resolution.</summary>
    public IReadOnlyList<int> Channels { get; set; } = new[] { 32, 64, 128, 128 };
}
