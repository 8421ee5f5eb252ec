namespace MlNetExt.Vision.Backbones;

/// <summary>
/// timm-style registry: architecture names (<c>resnet18</c>, <c>resnet34</c>, <c>resnet50</c>, <c>mobilenet_v2</c>,
/// <c>small_cnn</c>) mapped to constructors. Immutable and thread-safe.
/// </summary>
public static class BackboneRegistry
{
    private static readonly IReadOnlyDictionary<string, Func<BackboneOptions?, BackboneNetwork>> Constructors =
        new Dictionary<string, Func<BackboneOptions?, BackboneNetwork>>(StringComparer.OrdinalIgnoreCase)
        {
            ["resnet18"] = o => new ResNet(18, o),
            ["resnet34"] = o => new ResNet(34, o),
            ["resnet50"] = o => new ResNet(50, o),
            ["mobilenet_v2"] = o => new MobileNetV2(o as MobileNetV2Options ?? CopyInto(new MobileNetV2Options(), o)),
            ["small_cnn"] = o => new SmallCnn(o as SmallCnnOptions ?? CopyInto(new SmallCnnOptions(), o)),
        };

    /// <summary>The registered architecture names.</summary>
    public static IReadOnlyList<string> Names { get; } = Constructors.Keys.ToArray();

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public static bool Contains(string name) => name is not null && Constructors.ContainsKey(name);

    /// <summary>
    /// Builds the backbone <paramref name="name"/>. <paramref name="options"/> may be the architecture's own options
    /// type (<see cref="MobileNetV2Options"/>, <see cref="SmallCnnOptions"/>) or plain <see cref="BackboneOptions"/>.
    /// </summary>
    public static BackboneNetwork Create(string name, BackboneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Constructors.TryGetValue(name, out var constructor))
        {
            throw new ArgumentException($"Unknown backbone '{name}'; known backbones: {string.Join(", ", Names)}.", nameof(name));
        }

        return constructor(options);
    }

    private static T CopyInto<T>(T target, BackboneOptions? source)
        where T : BackboneOptions
    {
        if (source is not null)
        {
            target.NumClasses = source.NumClasses;
            target.TruncateAfter = source.TruncateAfter;
            target.InputChannels = source.InputChannels;
        }

        return target;
    }
}
