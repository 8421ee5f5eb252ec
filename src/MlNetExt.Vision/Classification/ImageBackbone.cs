using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;
using MlNetExt.Vision.Weights;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Which backbone an image classifier starts from: an architecture and where its weights come from (a catalog entry,
/// a weight file, or none: trained from scratch). <see cref="Default"/> is the shipped Keras ImageNet MobileNetV2
/// (blocks 0..10), which needs no download.
/// </summary>
public sealed class ImageBackbone
{
    private readonly Func<BackboneNetwork> _create;

    private ImageBackbone(string description, PixelScaling scaling, bool isPretrained, Func<BackboneNetwork> create)
    {
        Description = description;
        PixelScaling = scaling;
        IsPretrained = isPretrained;
        _create = create;
    }

    /// <summary>What the backbone is, for logs and model metadata.</summary>
    public string Description { get; }

    /// <summary>Input scaling the network expects (applied inside the exported model).</summary>
    public PixelScaling PixelScaling { get; }

    /// <summary>Whether the weights come from pretraining (false: random initialisation).</summary>
    public bool IsPretrained { get; }

    /// <summary>The shipped default: Keras ImageNet MobileNetV2 truncated after block 10 (96 features, inputs in [-1, 1]).</summary>
    public static ImageBackbone Default { get; } = FromCatalog(PretrainedCatalog.MobileNetV2ImageNetBlock10);

    /// <summary>A catalog entry (downloaded and verified on first use unless shipped).</summary>
    /// <param name="entry">The entry, for example <see cref="PretrainedCatalog.ResNet18ImageNet"/>.</param>
    public static ImageBackbone FromCatalog(PretrainedWeights entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ImageBackbone($"{entry.Id} ({entry.Architecture})", entry.PixelScaling, true,
            () => PretrainedBackbones.Create(entry, numClasses: null).Network);
    }

    /// <summary>A catalog entry by id (see <see cref="PretrainedCatalog.Entries"/>).</summary>
    /// <param name="id">Catalog id, for example <c>resnet18.imagenet</c>.</param>
    public static ImageBackbone FromCatalog(string id) => FromCatalog(PretrainedCatalog.Get(id));

    /// <summary>
    /// A registered architecture with weights from a file (safetensors, TorchSharp state dict or ONNX initializers,
    /// torchvision names). A built-in classifier in the file is ignored; every other backbone weight must be present.
    /// </summary>
    /// <param name="architecture">Registry name (<see cref="BackboneRegistry.Names"/>).</param>
    /// <param name="weightsPath">The weight file.</param>
    /// <param name="options">Network options (truncation, widths); default: the architecture's defaults.</param>
    /// <param name="scaling">Input scaling the weights were trained with.</param>
    /// <param name="sourcePrefix">Use only file entries starting with this prefix, with it removed: <c>"net.backbone."</c>
    /// reads the backbone of an image classifier's exported ONNX model (<see cref="ImageClassifierModel.OnnxModel"/>).</param>
    public static ImageBackbone FromFile(string architecture, string weightsPath, BackboneOptions? options = null,
        PixelScaling scaling = PixelScaling.ImageNetMeanStd, string? sourcePrefix = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(architecture);
        ArgumentException.ThrowIfNullOrWhiteSpace(weightsPath);
        if (!BackboneRegistry.Contains(architecture))
            throw new ArgumentException($"Unknown backbone '{architecture}'; known backbones: {string.Join(", ", BackboneRegistry.Names)}.", nameof(architecture));
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"Backbone weight file '{weightsPath}' was not found.", weightsPath);
        return new ImageBackbone($"{architecture} from {Path.GetFileName(weightsPath)}", scaling, true, () =>
        {
            var network = BackboneRegistry.Create(architecture, Headless(options));
            try
            {
                using var weights = WeightFile.Read(weightsPath);
                var report = network.LoadWeights(weights, new WeightLoadOptions { Strict = false, SourcePrefix = sourcePrefix }, weightsPath);
                if (report.MissingKeys.Count > 0 || report.ShapeMismatches.Count > 0)
                    throw new InvalidDataException($"Weights '{weightsPath}' do not fit the {architecture} backbone: " + report.Describe());
                return network;
            }
            catch
            {
                network.Dispose();
                throw;
            }
        });
    }

    /// <summary>A registered architecture with random initialisation (training from scratch).</summary>
    /// <param name="architecture">Registry name, for example <c>small_cnn</c> or <c>resnet18</c>.</param>
    /// <param name="options">Network options; default: the architecture's defaults.</param>
    public static ImageBackbone FromScratch(string architecture, BackboneOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(architecture);
        if (!BackboneRegistry.Contains(architecture))
            throw new ArgumentException($"Unknown backbone '{architecture}'; known backbones: {string.Join(", ", BackboneRegistry.Names)}.", nameof(architecture));
        return new ImageBackbone($"{architecture} (random initialisation)", PixelScaling.ImageNetMeanStd, false,
            () => BackboneRegistry.Create(architecture, Headless(options)));
    }

    /// <summary>Builds a fresh headless network with the weights loaded.</summary>
    internal BackboneNetwork Create() => _create();

    /// <summary>Per-channel mean and standard deviation of <see cref="PixelScaling"/> for inputs in [0, 1].</summary>
    internal (float[] Mean, float[] Std) Normalisation() => PixelScaling switch
    {
        PixelScaling.MinusOneToOne => ([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]),
        _ => ([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]),
    };

    private static BackboneOptions? Headless(BackboneOptions? options)
    {
        if (options is not null)
            options.NumClasses = null;
        return options ?? new BackboneOptions { NumClasses = null };
    }

    /// <inheritdoc />
    public override string ToString() => Description;
}
