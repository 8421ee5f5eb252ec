using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.IO;
using MlNetExt.Core.Models;
using MlNetExt.Core.Training;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// A fitted image classifier (what <c>ImageClassifier(...).Fit</c> returns). Scoring is done by
/// <see cref="OnnxModelTransformer.Model"/>, standard ML.NET transformers only ([ResizeImages, ExtractPixels,]
/// ApplyOnnxModel, post-processing), so <c>mlContext.Model.Save</c> writes a model that loads and scores with plain
/// Microsoft.ML + Microsoft.ML.OnnxTransformer; <c>mlContext.DeepLearning().Model.Load</c> gives back this type with its
/// <see cref="OnnxModelTransformer.History"/>, <see cref="ClassNames"/> and ONNX graphs. Scoring through it reports an
/// unreadable input image by column, row and file (ML.NET's own chain reports "Splitter/consolidator worker encountered
/// exception").
/// </summary>
/// <remarks>
/// <para>ONNX graphs (<see cref="OnnxModelTransformer.OnnxModelNames"/>): <c>model</c> (<see cref="OnnxModelTransformer.GetOnnxModel()"/>,
/// what <see cref="OnnxModelTransformer.ExportToOnnx(string)"/> writes), a self-contained classifier of raw RGB images of
/// any size with input <c>image</c> uint8 [batch, height, width, 3] and outputs <c>probabilities</c> float [batch, classes]
/// and <c>label</c> string [batch]; <c>float_nchw</c>, the same with input <c>image</c> float [batch, 3, height, width]
/// (values 0..255); <c>pipeline</c>, the graph ApplyOnnxModel runs inside <see cref="OnnxModelTransformer.Model"/>
/// (raw pixel vectors [batch, C*H*W] in [0, 255]). Resizing (bilinear, half-pixel centres), scaling and normalisation
/// are inside every graph; class names, backbone and preprocessing are in the <c>mlnetext.*</c> metadata. Gray images
/// must be given to the standalone graphs as three equal channels.</para>
/// <para>Thread-safety is that of the chain.</para>
/// </remarks>
public sealed class ImageClassifierModel : OnnxModelTransformer, IOnnxModelFactory<ImageClassifierModel>
{
    internal const string Kind = "image_classifier";

    /// <summary>The name of the standalone graph with a float NCHW input in <see cref="OnnxModelTransformer.OnnxModelNames"/>.</summary>
    internal const string FloatNchwName = "float_nchw";

    /// <summary>The name of the graph ApplyOnnxModel runs in <see cref="OnnxModelTransformer.OnnxModelNames"/>.</summary>
    internal const string PipelineName = "pipeline";

    private readonly string _imageColumn;

    internal ImageClassifierModel(TransformerChain<ITransformer> model, ClassifierGraphs graphs, TrainingHistory history,
        ImageClassifierArchitecture architecture, IReadOnlyList<string> classNames, string onnxInputName, string imageColumn)
        : base(model, graphs.UInt8Nhwc, history, new Dictionary<string, byte[]>
        {
            [DefaultOnnxModelName] = graphs.UInt8Nhwc,
            [FloatNchwName] = graphs.FloatNchw,
            [PipelineName] = graphs.Pipeline,
        })
    {
        Architecture = architecture;
        ClassNames = classNames;
        OnnxInputName = onnxInputName;
        _imageColumn = imageColumn;
    }

    /// <inheritdoc />
    static string IOnnxModelFactory<ImageClassifierModel>.OnnxModelKind => Kind;

    /// <summary>The label's key values as text, in key order (binary: <c>false</c>, <c>true</c>).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Side of the square image the backbone sees.</summary>
    public int ImageSize => Architecture.ImageSize;

    /// <summary>Name of the pipeline graph's input (the pixel column).</summary>
    public string OnnxInputName { get; }

    /// <summary>How to rebuild the network (continue training, restoring the standalone graphs).</summary>
    internal ImageClassifierArchitecture Architecture { get; }

    /// <summary>Whether the model is a binary classifier (one logit).</summary>
    internal bool IsBinary => Architecture.Outputs == 1;

    /// <summary>The ONNX model ApplyOnnxModel runs: raw pixel vectors [batch, C*H*W] in [0, 255] to class probabilities and index.</summary>
    [Obsolete("Use GetOnnxModel(\"pipeline\"), or GetOnnxModel() for the standalone classifier of raw images.")]
    public byte[] OnnxModel => GetOnnxModel(PipelineName);

    /// <summary>The bytes <see cref="ExportToOnnx(string, OnnxImageLayout)"/> writes.</summary>
    /// <param name="layout">Input layout.</param>
    [Obsolete("Use GetOnnxModel() (uint8 NHWC input) or GetOnnxModel(\"float_nchw\").")]
    public byte[] StandaloneOnnx(OnnxImageLayout layout = OnnxImageLayout.UInt8Nhwc) => GetOnnxModel(NameOf(layout));

    /// <summary>Writes the standalone ONNX classifier with the given input layout (temporary name, then renamed).</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="layout">Input layout.</param>
    [Obsolete("Use ExportToOnnx(path) (uint8 NHWC input) or ExportToOnnx(path, \"float_nchw\").")]
    public void ExportToOnnx(string path, OnnxImageLayout layout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ExportToOnnx(path, NameOf(layout));
    }

    /// <summary>Scores <paramref name="input"/> with <see cref="OnnxModelTransformer.Model"/>; an input image that cannot be
    /// read fails with an <see cref="InvalidDataException"/> naming the image column, the row and the file.</summary>
    /// <param name="input">Data with the image column the classifier was trained on.</param>
    public override IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ImageErrorReportingDataView(base.Transform(input), input, _imageColumn);
    }

    /// <summary>The network with this model's weights (eval mode), reading <paramref name="layout"/>; the caller disposes it.</summary>
    internal ImageClassifierNetwork CreateNetwork(PixelLayout? layout) =>
        Architecture.CreateNetwork(GetOnnxModel(PipelineName), layout, "the initial model");

    /// <inheritdoc />
    static ImageClassifierModel IOnnxModelFactory<ImageClassifierModel>.Restore(MLContext context, RestoredOnnxModel parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var metadata = parts.Metadata;
        var architecture = OnnxModelMetadata.ReadJson<ImageClassifierArchitecture>(metadata, OnnxModelMetadata.Architecture);
        var classNames = ClassifierMetadata.ReadClassNames(metadata);
        if (parts.InputNames.Count != 1)
            throw new InvalidDataException($"An image classifier's ONNX graph has one input; this one has {parts.InputNames.Count}.");
        using var network = architecture.CreateNetwork(parts.OnnxModel, null, "the saved image classifier");
        var description = ClassifierMetadata.FromMetadata(metadata, architecture, parts.History);
        var graphs = new ClassifierGraphs(parts.OnnxModel,
            StandaloneImageClassifierOnnx.Build(network, architecture.Outputs == 1, classNames, OnnxImageLayout.UInt8Nhwc, description),
            StandaloneImageClassifierOnnx.Build(network, architecture.Outputs == 1, classNames, OnnxImageLayout.FloatNchw, description));
        string imageColumn = metadata.GetValueOrDefault(ClassifierMetadata.FeatureColumn) ?? parts.InputNames[0];
        return new ImageClassifierModel(parts.Model, graphs, parts.History, architecture, classNames, parts.InputNames[0], imageColumn);
    }

    private static string NameOf(OnnxImageLayout layout) => layout switch
    {
        OnnxImageLayout.UInt8Nhwc => DefaultOnnxModelName,
        OnnxImageLayout.FloatNchw => FloatNchwName,
        _ => throw new ArgumentOutOfRangeException(nameof(layout), $"Unknown layout {layout}."),
    };
}

/// <summary>The three ONNX graphs of a trained image classifier.</summary>
/// <param name="Pipeline">The graph ApplyOnnxModel runs (pixel vectors).</param>
/// <param name="UInt8Nhwc">The standalone graph for uint8 NHWC images.</param>
/// <param name="FloatNchw">The standalone graph for float NCHW images.</param>
internal sealed record ClassifierGraphs(byte[] Pipeline, byte[] UInt8Nhwc, byte[] FloatNchw);
