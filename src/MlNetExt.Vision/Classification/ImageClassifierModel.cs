using Microsoft.ML.Data;
using Microsoft.ML;
using MlNetExt.Core.IO;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// What an image classifier's training produced: the fitted ML.NET model (standard transformers only, savable with
/// <c>mlContext.Model.Save</c>), the exported ONNX network inside it, the class names and the training history. It is
/// itself a transformer that scores with <see cref="Model"/>; scoring through it reports an unreadable input image by
/// column, row and file (ML.NET's own chain reports "Splitter/consolidator worker encountered exception"). Saving it
/// saves <see cref="Model"/>, which loads back as a plain <see cref="TransformerChain{TLastTransformer}"/>.
/// </summary>
public sealed class ImageClassifierModel : ChainForwardingTransformer
{
    private readonly string _imageColumn;

    internal ImageClassifierModel(TransformerChain<ITransformer> model, byte[] onnxModel, IReadOnlyList<string> classNames,
        IReadOnlyList<TrainingProgress> history, string onnxInputName, int imageSize, IReadOnlyDictionary<OnnxImageLayout, byte[]> standalone,
        string imageColumn) : base(model)
    {
        _standalone = standalone;
        _imageColumn = imageColumn;
        Model = model;
        OnnxModel = onnxModel;
        ClassNames = classNames;
        History = history;
        OnnxInputName = onnxInputName;
        ImageSize = imageSize;
    }

    private readonly IReadOnlyDictionary<OnnxImageLayout, byte[]> _standalone;

    /// <summary>The fitted pipeline: preprocessing, ApplyOnnxModel, post-processing.</summary>
    public TransformerChain<ITransformer> Model { get; }

    /// <summary>The ONNX model ApplyOnnxModel runs: raw pixel vectors [batch, C*H*W] in [0, 255] to class probabilities and index.</summary>
    public byte[] OnnxModel { get; }

    /// <summary>Name of <see cref="OnnxModel"/>'s input (the pixel column).</summary>
    public string OnnxInputName { get; }

    /// <summary>The label's key values as text, in key order (binary: <c>false</c>, <c>true</c>).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Side of the square image the backbone sees.</summary>
    public int ImageSize { get; }

    /// <summary>Progress of every epoch of every stage (stage <c>head</c>, then <c>fine-tune</c>).</summary>
    public IReadOnlyList<TrainingProgress> History { get; }

    /// <summary>
    /// Writes one self-contained ONNX file (temporary name, then renamed) that classifies raw RGB images of any size:
    /// input <c>image</c> (<paramref name="layout"/>; dynamic batch, height and width), outputs <c>probabilities</c>
    /// float [batch, classes] and <c>label</c> string [batch] (the class name). Resizing (bilinear, half-pixel
    /// centres), scaling and normalisation are inside the graph; class names, backbone and preprocessing are in the
    /// model metadata (<c>mlnetext.*</c>). Gray images must be given as three equal channels.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="layout">Input layout (default uint8 NHWC).</param>
    public void ExportToOnnx(string path, OnnxImageLayout layout = OnnxImageLayout.UInt8Nhwc)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, StandaloneOnnx(layout));
    }

    /// <summary>Scores <paramref name="input"/> with <see cref="Model"/>; an input image that cannot be read fails with an
    /// <see cref="InvalidDataException"/> naming the image column, the row and the file.</summary>
    /// <param name="input">Data with the image column the classifier was trained on.</param>
    public override IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ImageErrorReportingDataView(base.Transform(input), input, _imageColumn);
    }

    /// <summary>The bytes <see cref="ExportToOnnx"/> writes.</summary>
    /// <param name="layout">Input layout.</param>
    public byte[] StandaloneOnnx(OnnxImageLayout layout = OnnxImageLayout.UInt8Nhwc) =>
        _standalone.TryGetValue(layout, out var bytes) ? bytes : throw new ArgumentOutOfRangeException(nameof(layout), $"Unknown layout {layout}.");
}
