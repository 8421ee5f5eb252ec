using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;
using MlNetExt.Vision.Weights;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Everything needed to rebuild a trained image classifier's TorchSharp network (written to <c>mlnetext.architecture</c>):
/// the backbone's registry name and options, the pixel scaling, the head, the input layout and the image size. Used to
/// restore a loaded model's standalone ONNX graphs and to continue training.
/// </summary>
/// <param name="Network">Always <see cref="NetworkName"/>.</param>
/// <param name="Backbone">The backbone's registry name.</param>
/// <param name="BackboneOptions">The backbone's options as JSON (<see cref="BackboneSpec.OptionsJson"/>).</param>
/// <param name="PixelScaling">The <see cref="Catalog.PixelScaling"/> name.</param>
/// <param name="HeadHiddenLayers">Widths of the head's hidden layers.</param>
/// <param name="Dropout">The head's dropout.</param>
/// <param name="Outputs">Outputs of the head: the number of classes, 1 for binary classification.</param>
/// <param name="Channels">Channels of the pixel vectors the pipeline's graph reads.</param>
/// <param name="Height">Height of those pixel vectors.</param>
/// <param name="Width">Width of those pixel vectors.</param>
/// <param name="ImageSize">Side of the square image the backbone sees.</param>
/// <param name="StateDictPrefix">Prefix of the network's state_dict entries among the ONNX initializers.</param>
internal sealed record ImageClassifierArchitecture(string Network, string Backbone, string BackboneOptions, string PixelScaling,
    int[] HeadHiddenLayers, float Dropout, int Outputs, int Channels, int Height, int Width, int ImageSize, string StateDictPrefix)
{
    /// <summary>The <see cref="Network"/> value of image classifiers.</summary>
    public const string NetworkName = "image_classifier";

    /// <summary>The architecture of a network about to be trained.</summary>
    public static ImageClassifierArchitecture Of(BackboneSpec backbone, PixelScaling scaling, IReadOnlyList<int> headHiddenLayers, float dropout,
        int outputs, PixelLayout layout, int imageSize) =>
        new(NetworkName, backbone.Architecture, backbone.OptionsJson, scaling.ToString(), headHiddenLayers.ToArray(), dropout, outputs,
            layout.Channels, layout.Height, layout.Width, imageSize, "");

    /// <summary>The pixel layout the pipeline's graph reads.</summary>
    public PixelLayout Layout => new(Channels, Height, Width);

    /// <summary>
    /// Builds the network with the weights of an exported graph of it (the pipeline graph or a standalone one: their
    /// initializers are the backbone's and the head's state dicts under <c>net.backbone.</c> and <c>net.head.</c>), in
    /// eval mode. The parts are loaded before they are put together, with the names they export.
    /// </summary>
    /// <param name="onnx">The exported graph.</param>
    /// <param name="layout">The pixel layout to read (null: <see cref="Layout"/>).</param>
    /// <param name="source">Names the model in error messages.</param>
    /// <exception cref="InvalidDataException">A weight is missing or has another shape; the message names it.</exception>
    public ImageClassifierNetwork CreateNetwork(byte[] onnx, PixelLayout? layout, string source)
    {
        if (Network != NetworkName)
            throw new InvalidDataException($"'{source}' holds a '{Network}' network, not an image classifier ('{NetworkName}').");
        var spec = BackboneSpec.Parse(Backbone, BackboneOptions, source);
        var (mean, std) = ImageBackbone.NormalisationOf(ClassifierMetadata.ParseScaling(PixelScaling, source));
        using var weights = OnnxInitializerReader.Load(onnx, source);
        var backbone = spec.Create();
        TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>? head = null;
        try
        {
            Load(backbone, weights, StateDictPrefix + ImageBackbone.ClassifierBackbonePrefix, source);
            head = ClassifierHead.Create(backbone.FeatureDimension, HeadHiddenLayers, Dropout, Outputs);
            Load(head, weights, StateDictPrefix + ImageBackbone.ClassifierHeadPrefix, source);
            var network = new ImageClassifierNetwork(backbone, head, layout ?? Layout, ImageSize, mean, std);
            network.eval();
            return network;
        }
        catch
        {
            head?.Dispose();
            backbone.Dispose();
            throw;
        }
    }

    private static void Load(TorchSharp.torch.nn.Module module, WeightSet weights, string prefix, string source)
    {
        var report = module.LoadWeights(weights, new WeightLoadOptions { Strict = false, SourcePrefix = prefix }, source);
        if (report.MissingKeys.Count > 0 || report.ShapeMismatches.Count > 0)
            throw new InvalidDataException($"'{source}' does not hold the weights its architecture describes: " + report.Describe());
    }
}
