using MlNetExt.Vision.Backbones;

namespace MlNetExt.Vision.Catalog;

/// <summary>How a catalog entry expects its input pixels to be scaled.</summary>
public enum PixelScaling
{
    /// <summary>torchvision/timm: <c>(x / 255 - mean) / std</c> with ImageNet mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).</summary>
    ImageNetMeanStd,

    /// <summary>Keras MobileNetV2: <c>x / 127.5 - 1</c>, so values lie in [-1, 1].</summary>
    MinusOneToOne,
}

/// <summary>
/// One pretrained weight file of the catalog: which architecture it fits, where it comes from, how to check it.
/// </summary>
public sealed class PretrainedWeights
{
    /// <summary>Creates an entry.</summary>
    /// <param name="id">Catalog id, for example <c>resnet18.imagenet</c>; a plain name (it becomes a folder of the cache).</param>
    /// <param name="architecture">Backbone registry name (<see cref="BackboneRegistry"/>).</param>
    /// <param name="fileName">File name in the cache (or in the shipped <c>models/</c> folder); a plain name.</param>
    /// <param name="createOptions">Builds the options of the network the weights fit.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="fileName"/> is not a plain name (it
    /// contains a path separator or <c>..</c>, or is rooted), so it could place a file outside the cache.</exception>
    public PretrainedWeights(string id, string architecture, string fileName, Func<BackboneOptions> createOptions)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Architecture = architecture ?? throw new ArgumentNullException(nameof(architecture));
        FileName = fileName ?? throw new ArgumentNullException(nameof(fileName));
        CacheNames.Validate(id, nameof(id));
        CacheNames.Validate(fileName, nameof(fileName));
        _createOptions = createOptions ?? throw new ArgumentNullException(nameof(createOptions));
    }

    private readonly Func<BackboneOptions> _createOptions;

    /// <summary>Catalog id.</summary>
    public string Id { get; }

    /// <summary>Backbone registry name.</summary>
    public string Architecture { get; }

    /// <summary>File name in the cache directory (or the shipped <c>models/</c> folder).</summary>
    public string FileName { get; }

    /// <summary>Download address; <c>null</c> for files shipped with the package.</summary>
    public Uri? Url { get; init; }

    /// <summary>
    /// Expected SHA-256 (lower-case hex) of the file, taken from the publisher's documentation. <c>null</c> when no
    /// published hash is known: such entries are not downloaded unless
    /// <see cref="WeightDownloaderOptions.AllowUnverifiedDownloads"/> is set.
    /// </summary>
    public string? Sha256 { get; init; }

    /// <summary>Exact file size in bytes when known.</summary>
    public long? SizeBytes { get; init; }

    /// <summary>Approximate size for display, for example "46.8 MB".</summary>
    public string? ApproximateSize { get; init; }

    /// <summary>Licence of the weights.</summary>
    public string License { get; init; } = "unknown";

    /// <summary>Where the URL, hash and licence are documented.</summary>
    public Uri? Documentation { get; init; }

    /// <summary>What the weights are.</summary>
    public string Description { get; init; } = "";

    /// <summary>Input scaling the weights were trained with.</summary>
    public PixelScaling PixelScaling { get; init; } = PixelScaling.ImageNetMeanStd;

    /// <summary>True for files shipped in the package's <c>models/</c> folder rather than downloaded.</summary>
    public bool IsShipped { get; init; }

    /// <summary>
    /// True when the published file is in a format MlNetExt cannot read and must be converted by the user first (it is
    /// never downloaded automatically). PyTorch state dicts need no conversion: <see cref="MlNetExt.Vision.Weights.PyTorchCheckpoint"/> reads them.
    /// </summary>
    public bool RequiresConversion { get; init; }

    /// <summary>Whether the entry can be checked against a published SHA-256.</summary>
    public bool IsVerified => Sha256 is not null;

    /// <summary>Options of the network the weights fit (a fresh object each call).</summary>
    public BackboneOptions CreateOptions() => _createOptions();

    /// <inheritdoc />
    public override string ToString() => $"{Id} ({Architecture}, {License}{(IsVerified ? "" : ", unverified")})";
}
