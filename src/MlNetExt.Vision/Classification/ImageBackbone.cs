using Microsoft.ML;
using MlNetExt.Core.Onnx.Protobuf;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;
using MlNetExt.Vision.Weights;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Which backbone an image classifier starts from: an architecture and where its weights come from (a catalog entry,
/// a weight file, a trained image classifier, or none: trained from scratch). <see cref="Default"/> is the shipped
/// Keras ImageNet MobileNetV2 (blocks 0..10), which needs no download. Weight files and classifiers are read and
/// checked when the backbone is created (<see cref="LoadReport"/> says what was loaded), and read again at each Fit.
/// </summary>
public sealed class ImageBackbone
{
    /// <summary>Prefix of the backbone's parameters in an image classifier's ONNX model.</summary>
    internal const string ClassifierBackbonePrefix = "net.backbone.";

    /// <summary>Prefix of the head's parameters in an image classifier's ONNX model.</summary>
    internal const string ClassifierHeadPrefix = "net.head.";

    private readonly Func<BackboneNetwork> _create;

    private ImageBackbone(string description, PixelScaling scaling, bool isPretrained, BackboneSpec spec, Func<BackboneNetwork> create,
        WeightLoadReport? report = null)
    {
        Description = description;
        PixelScaling = scaling;
        IsPretrained = isPretrained;
        Spec = spec;
        _create = create;
        LoadReport = report;
    }

    /// <summary>What the backbone is, for logs and model metadata.</summary>
    public string Description { get; }

    /// <summary>Input scaling the network expects (applied inside the exported model).</summary>
    public PixelScaling PixelScaling { get; }

    /// <summary>Whether the weights come from pretraining (false: random initialisation).</summary>
    public bool IsPretrained { get; }

    /// <summary>
    /// What loading the weights did when the backbone was created from a file or a classifier (tensors loaded, missing,
    /// unexpected); null for <see cref="FromScratch"/> and catalog entries (checked at Fit).
    /// </summary>
    public WeightLoadReport? LoadReport { get; }

    /// <summary>Architecture and options of the network (recorded in the trained classifier's metadata).</summary>
    internal BackboneSpec Spec { get; }

    /// <summary>The shipped default: Keras ImageNet MobileNetV2 truncated after block 10 (96 features, inputs in [-1, 1]).</summary>
    public static ImageBackbone Default { get; } = FromCatalog(PretrainedCatalog.MobileNetV2ImageNetBlock10);

    /// <summary>A catalog entry (downloaded and verified on first use unless shipped).</summary>
    /// <param name="entry">The entry, for example <see cref="PretrainedCatalog.ResNet18ImageNet"/>.</param>
    public static ImageBackbone FromCatalog(PretrainedWeights entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ImageBackbone($"{entry.Id} ({entry.Architecture})", entry.PixelScaling, true, new BackboneSpec(entry.Architecture, entry.CreateOptions()),
            () => PretrainedBackbones.Create(entry, numClasses: null).Network);
    }

    /// <summary>A catalog entry by id (see <see cref="PretrainedCatalog.Entries"/>).</summary>
    /// <param name="id">Catalog id, for example <c>resnet18.imagenet</c>.</param>
    public static ImageBackbone FromCatalog(string id) => FromCatalog(PretrainedCatalog.Get(id));

    /// <summary>
    /// A registered architecture with weights from a file (safetensors, TorchSharp state dict, ONNX initializers or an
    /// image classifier's saved ML.NET model; torchvision names). A built-in classifier in the file is ignored; every
    /// other backbone weight must be present. The file is read and checked here: an unreadable or unsupported file, or
    /// weights that do not fit, fail at this call, naming the file. To reuse a trained MlNetExt image classifier, prefer
    /// <see cref="FromClassifier(string)"/>, which needs no architecture, options, prefix or scaling.
    /// </summary>
    /// <param name="architecture">Registry name (<see cref="BackboneRegistry.Names"/>).</param>
    /// <param name="weightsPath">The weight file.</param>
    /// <param name="options">Network options (truncation, widths); default: the architecture's defaults. Not modified.</param>
    /// <param name="scaling">Input scaling the weights were trained with; null: the file's <c>mlnetext.pixel_scaling</c>
    /// metadata when it has one, else <see cref="PixelScaling.ImageNetMeanStd"/>. A value that contradicts the file's
    /// metadata is rejected.</param>
    /// <param name="sourcePrefix">Use only file entries starting with this prefix, with it removed; null: the file's
    /// <c>mlnetext.backbone.prefix</c> metadata when it has one (an MlNetExt image classifier's ONNX: <c>net.backbone.</c>),
    /// else every entry.</param>
    public static ImageBackbone FromFile(string architecture, string weightsPath, BackboneOptions? options = null,
        PixelScaling? scaling = null, string? sourcePrefix = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(architecture);
        ArgumentException.ThrowIfNullOrWhiteSpace(weightsPath);
        if (!BackboneRegistry.Contains(architecture))
            throw new ArgumentException($"Unknown backbone '{architecture}'; known backbones: {string.Join(", ", BackboneRegistry.Names)}.", nameof(architecture));
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"Backbone weight file '{weightsPath}' was not found.", weightsPath);

        var spec = new BackboneSpec(architecture, options);
        var weights = ReadWeightFile(weightsPath);
        PixelScaling? fileScaling;
        string? prefix;
        try
        {
            var metadata = weights.Metadata;
            fileScaling = metadata.TryGetValue(ClassifierMetadata.PixelScaling, out var s) ? ClassifierMetadata.ParseScaling(s, weightsPath) : null;
            if (scaling is not null && fileScaling is not null && scaling != fileScaling)
                throw new ArgumentException(
                    $"Weights '{weightsPath}' were trained with pixel scaling {fileScaling} (its metadata), not {scaling}; leave scaling null to use the file's.",
                    nameof(scaling));
            if (metadata.TryGetValue(ClassifierMetadata.Architecture, out var fileArchitecture)
                && !string.Equals(fileArchitecture, spec.Architecture, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"Weights '{weightsPath}' hold a {fileArchitecture} backbone (its metadata), not {architecture}.", nameof(architecture));
            prefix = sourcePrefix ?? metadata.GetValueOrDefault(ClassifierMetadata.BackbonePrefix);
        }
        catch
        {
            weights.Dispose();
            throw;
        }

        LoadChecked(spec, weights, prefix, weightsPath, out var report).Dispose();
        BackboneNetwork Create() => LoadChecked(spec, ReadWeightFile(weightsPath), prefix, weightsPath, out _);
        return new ImageBackbone($"{spec.Architecture} from {Path.GetFileName(weightsPath)}", scaling ?? fileScaling ?? PixelScaling.ImageNetMeanStd,
            true, spec, Create, report);
    }

    /// <summary>
    /// The backbone of a trained MlNetExt image classifier, from its exported ONNX file
    /// (<c>ImageClassifierModel.ExportToOnnx</c>, or any of its <c>GetOnnxModel</c> graphs written to a file) or
    /// from a model saved with <c>mlContext.Model.Save</c> (a .zip holding one image classifier). Architecture, options,
    /// pixel scaling and where the backbone's weights sit are read from the model's metadata; the head is dropped.
    /// The file is read and checked here (<see cref="LoadReport"/>).
    /// </summary>
    /// <param name="path">The .onnx file or the saved model .zip.</param>
    public static ImageBackbone FromClassifier(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image classifier file '{path}' was not found.", path);
        ModelProto onnx;
        if (MlNetModelZip.IsZip(path))
        {
            using var stream = File.OpenRead(path);
            onnx = MlNetModelZip.ImageClassifierOnnx(stream, path);
        }
        else
        {
            onnx = OnnxInitializerReader.Parse(File.ReadAllBytes(path), path);
        }
        return FromClassifierOnnx(onnx, path);
    }

    /// <summary>The backbone of an image classifier trained in this process (see <see cref="FromClassifier(string)"/>).</summary>
    /// <param name="model">What <c>ImageClassifier(...).Fit</c> returned, or <c>mlContext.DeepLearning().Model.Load</c> restored.</param>
    public static ImageBackbone FromClassifier(ImageClassifierModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        const string source = "the trained image classifier";
        return FromClassifierOnnx(OnnxInitializerReader.Parse(model.GetOnnxModel(ImageClassifierModel.PipelineName), source), source);
    }

    /// <summary>
    /// The backbone of a fitted or loaded ML.NET model that contains an MlNetExt image classifier (what <c>Fit</c> or
    /// <c>mlContext.Model.Load</c> returned; see <see cref="FromClassifier(string)"/>).
    /// </summary>
    /// <param name="model">The fitted pipeline or loaded model.</param>
    public static ImageBackbone FromClassifier(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        new MLContext().Model.Save(model, null, stream);
        stream.Position = 0;
        const string source = "the fitted model";
        return FromClassifierOnnx(MlNetModelZip.ImageClassifierOnnx(stream, source), source);
    }

    /// <summary>A registered architecture with random initialisation (training from scratch).</summary>
    /// <param name="architecture">Registry name, for example <c>small_cnn</c> or <c>resnet18</c>.</param>
    /// <param name="options">Network options; default: the architecture's defaults. Not modified.</param>
    public static ImageBackbone FromScratch(string architecture, BackboneOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(architecture);
        if (!BackboneRegistry.Contains(architecture))
            throw new ArgumentException($"Unknown backbone '{architecture}'; known backbones: {string.Join(", ", BackboneRegistry.Names)}.", nameof(architecture));
        var spec = new BackboneSpec(architecture, options);
        return new ImageBackbone($"{spec.Architecture} (random initialisation)", PixelScaling.ImageNetMeanStd, false, spec, spec.Create);
    }

    /// <summary>Builds a fresh headless network with the weights loaded.</summary>
    internal BackboneNetwork Create() => _create();

    /// <summary>Per-channel mean and standard deviation of <see cref="PixelScaling"/> for inputs in [0, 1].</summary>
    internal (float[] Mean, float[] Std) Normalisation() => NormalisationOf(PixelScaling);

    /// <summary>Per-channel mean and standard deviation of <paramref name="scaling"/> for inputs in [0, 1].</summary>
    internal static (float[] Mean, float[] Std) NormalisationOf(PixelScaling scaling) => scaling switch
    {
        PixelScaling.MinusOneToOne => ([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]),
        _ => ([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]),
    };

    /// <inheritdoc />
    public override string ToString() => Description;

    /// <summary>The backbone of a parsed image classifier ONNX model; the model is parsed once and its weights are read
    /// from it here and at each Fit.</summary>
    private static ImageBackbone FromClassifierOnnx(ModelProto onnx, string source)
    {
        var metadata = OnnxInitializerReader.Metadata(onnx);
        var (spec, scaling) = ClassifierMetadata.ReadBackbone(metadata, source);
        string prefix = metadata.GetValueOrDefault(ClassifierMetadata.BackbonePrefix) ?? ClassifierBackbonePrefix;
        var weights = OnnxInitializerReader.Load(onnx, source);
        int headTensors = weights.Keys.Count(k => k.StartsWith(ClassifierHeadPrefix, StringComparison.Ordinal));
        LoadChecked(spec, weights, prefix, source, out var report).Dispose();
        BackboneNetwork Create() => LoadChecked(spec, OnnxInitializerReader.Load(onnx, source), prefix, source, out _);
        return new ImageBackbone(
            $"{spec.Architecture} from image classifier {Path.GetFileName(source)} ({report.LoadedKeys.Count} backbone tensors loaded, head of {headTensors} tensors dropped)",
            scaling, true, spec, Create, report);
    }

    /// <summary>Reads a weight file; an ML.NET model zip gives its image classifier's ONNX initializers.</summary>
    private static WeightSet ReadWeightFile(string path)
    {
        if (MlNetModelZip.IsZip(path))
        {
            using var stream = File.OpenRead(path);
            ModelProto onnx;
            try
            {
                onnx = MlNetModelZip.ImageClassifierOnnx(stream, path);
            }
            catch (InvalidDataException)
            {
                return WeightFile.Read(path);   // not an ML.NET model: the weight-file reader says what it is
            }
            return OnnxInitializerReader.Load(onnx, path);
        }

        try
        {
            return WeightFile.Read(path);
        }
        catch (Exception e) when (e is not (NotSupportedException or InvalidDataException or IOException or UnauthorizedAccessException))
        {
            throw new InvalidDataException($"'{path}' is not a weight file MlNetExt can read (safetensors, TorchSharp .dat, ONNX, or a saved " +
                $"image classifier .zip): {e.Message}", e);
        }
    }

    /// <summary>Builds the network and loads <paramref name="weights"/> (disposed here); every backbone weight must be
    /// present with its shape.</summary>
    private static BackboneNetwork LoadChecked(BackboneSpec spec, WeightSet weights, string? prefix, string source, out WeightLoadReport report)
    {
        using var owned = weights;
        var network = spec.Create();
        try
        {
            report = network.LoadWeights(weights, new WeightLoadOptions { Strict = false, SourcePrefix = prefix }, source);
            if (report.MissingKeys.Count > 0 || report.ShapeMismatches.Count > 0)
                throw new InvalidDataException($"Weights '{source}' do not fit the {spec.Architecture} backbone: " + report.Describe() + PrefixHint(report, weights.Keys, prefix));
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>When nothing loaded because the file's names carry a prefix, says which sourcePrefix would fit.</summary>
    private static string PrefixHint(WeightLoadReport report, IEnumerable<string> fileKeys, string? prefix)
    {
        if (report.LoadedKeys.Count > 0 || report.MissingKeys.Count == 0)
            return "";
        string probe = report.MissingKeys[0];
        string? found = fileKeys.FirstOrDefault(k => k.EndsWith("." + probe, StringComparison.Ordinal));
        if (found is null)
            return "";
        string suggestion = found[..^probe.Length];
        return prefix is null
            ? $"{Environment.NewLine}The file's names start with '{suggestion}': pass sourcePrefix: \"{suggestion}\" (an MlNetExt image classifier: use ImageBackbone.FromClassifier)."
            : $"{Environment.NewLine}The file's names start with '{suggestion}', not '{prefix}': pass sourcePrefix: \"{suggestion}\".";
    }
}
