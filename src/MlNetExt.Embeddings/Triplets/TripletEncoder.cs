using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;
using MlNetExt.ImageAugmentation;
using MlNetExt.Vision.Classification;
using MlNetExt.Vision.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// The network being trained (an image encoder over raw pixels or an MLP; its forward gives the unnormalised embedding
/// and is what the ONNX graph exports) with what training adds around it: on-the-fly augmentation of the input, in the
/// input's own channels (gray stays gray), and a frozen backbone kept in eval mode.
/// </summary>
internal sealed class TripletEncoder : IDisposable
{
    private readonly ImageClassifierNetwork? _image;
    private readonly PixelLayout? _augmentedLayout;
    private readonly BatchAugmenter? _augmenter;
    private readonly bool _frozenBackbone;

    private TripletEncoder(nn.Module<Tensor, Tensor> module, ImageClassifierNetwork? image, PixelLayout? augmentedLayout,
        BatchAugmenter? augmenter, bool frozenBackbone, IReadOnlyList<ParameterGroup> parameters, string description)
    {
        Module = module;
        _image = image;
        _augmentedLayout = augmentedLayout;
        _augmenter = augmenter;
        _frozenBackbone = frozenBackbone;
        Parameters = parameters;
        Description = description;
    }

    /// <summary>Input vectors [N, width] -> unnormalised embeddings [N, dimension].</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>The trained parameters with their learning-rate multipliers.</summary>
    public IReadOnlyList<ParameterGroup> Parameters { get; }

    /// <summary>What the encoder is, for the model's metadata.</summary>
    public string Description { get; }

    /// <summary>An image encoder: backbone, projection head, pixels in [0, 255] laid out as <paramref name="layout"/>.</summary>
    /// <param name="o">The options (the encoder's shape).</param>
    /// <param name="choice">The backbone.</param>
    /// <param name="layout">The raw pixels' layout.</param>
    /// <param name="seed">The augmentation's seed.</param>
    /// <param name="initial">Continue training: an exported encoder whose weights replace the new ones, and its state_dict prefix.</param>
    public static TripletEncoder Image(TripletEmbeddingOptions o, ImageBackbone choice, PixelLayout layout, int seed,
        (byte[] Onnx, string Prefix)? initial = null)
    {
        var backbone = choice.Create();
        var (mean, std) = choice.Normalisation();
        var head = Cca.MlpEncoder.Create(checked((int)backbone.FeatureDimension), o.EmbeddingDimension, o.ProjectionHiddenLayers, o.Activation);
        if (initial is ({ } onnx, { } prefix))
        {
            try
            {
                // Backbone and head are loaded before they are put together: the assembled network's state dict also lists
                // private submodule fields, which the exported graph does not name.
                LoadImageWeights(backbone, head, onnx, prefix);
            }
            catch
            {
                head.Dispose();
                backbone.Dispose();
                throw;
            }
        }
        var net = new ImageClassifierNetwork(backbone, head, layout, o.ImageSize, mean, std);
        bool frozen = o.BackboneLearningRateMultiplier == 0;
        var groups = new List<ParameterGroup> { new(net.Head.parameters()) };
        if (frozen)
        {
            foreach (var p in net.Backbone.parameters())
                p.requires_grad = false;
        }
        else
        {
            groups.Add(new ParameterGroup(net.Backbone.parameters(), o.BackboneLearningRateMultiplier));
        }
        return new TripletEncoder(net, net, layout, Augmenter(o, seed), frozen, groups, choice.Description);
    }

    /// <summary>An image encoder over raw pixels of <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static TripletEncoder Image(TripletEmbeddingOptions o, ImageBackbone choice, int channels, int height, int width, int seed) =>
        Image(o, choice, new PixelLayout(channels, height, width), seed);

    /// <summary>An MLP over the input vector; with an augmentation the vector is raw pixels laid out as <paramref name="layout"/>.</summary>
    /// <param name="o">The options (the encoder's shape).</param>
    /// <param name="width">The input width.</param>
    /// <param name="layout">Raw pixels to augment, or null.</param>
    /// <param name="seed">The augmentation's seed.</param>
    /// <param name="initial">Continue training: an exported encoder whose weights replace the new ones, and its state_dict prefix.</param>
    public static TripletEncoder Mlp(TripletEmbeddingOptions o, int width, PixelLayout? layout, int seed, (byte[] Onnx, string Prefix)? initial = null)
    {
        var net = Cca.MlpEncoder.Create(width, o.EmbeddingDimension, o.HiddenLayers, o.Activation);
        if (initial is ({ } onnx, { } prefix))
        {
            try
            {
                OnnxWeights.LoadInto(net, OnnxModelReader.Parse(onnx), prefix);
            }
            catch
            {
                net.Dispose();
                throw;
            }
        }
        var augmenter = layout is null ? null : Augmenter(o, seed);
        return new TripletEncoder(net, null, layout, augmenter, false, [new ParameterGroup(net.parameters())], "mlp");
    }

    /// <summary>Copies an exported image encoder's backbone and head weights (Vision's weight loader, with the names they
    /// export, as a restored image classifier is loaded).</summary>
    /// <exception cref="InvalidDataException">A weight is missing or has another shape; the message names it.</exception>
    private static void LoadImageWeights(nn.Module backbone, nn.Module head, byte[] onnx, string prefix)
    {
        const string source = "the initial model";
        using var weights = OnnxInitializerReader.Load(onnx, source);
        foreach (var (part, partPrefix) in new[] { (backbone, ImageBackbone.ClassifierBackbonePrefix), (head, HeadPrefix) })
        {
            var report = part.LoadWeights(weights, new WeightLoadOptions { Strict = false, SourcePrefix = prefix + partPrefix }, source);
            if (report.MissingKeys.Count > 0 || report.ShapeMismatches.Count > 0)
                throw new InvalidDataException($"The initial model does not hold the weights of this image encoder: {report.Describe()}");
        }
    }

    /// <summary>Prefix of the projection head's weights inside the image encoder's graph (after the state_dict prefix).</summary>
    private const string HeadPrefix = "net.head.";

    /// <summary>L2-normalised embeddings of a batch. In train mode the inputs are augmented first (the draws depend on the
    /// seed, <paramref name="epoch"/>, <paramref name="batch"/> and the row's position only).</summary>
    public Tensor Embed(Tensor inputs, int epoch, int batch)
    {
        using var scope = NewDisposeScope();
        if (Module.training)
        {
            if (_frozenBackbone)
                _image!.Backbone.eval();
            if (_augmenter is not null)
                inputs = Augment(inputs, epoch, batch);
        }
        return nn.functional.normalize(Module.call(inputs), p: 2, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Raw pixels [N, C*H*W] in [0, 255] -> augmented raw pixels. Gray images (one channel, or three equal channels)
    /// are augmented as one channel, so no colour appears that scoring never sees.</summary>
    internal Tensor Augment(Tensor pixels, int epoch, int batch)
    {
        var layout = _augmentedLayout!;
        using var noGrad = no_grad();
        using var range = 255f.ToScalar();
        long n = pixels.shape[0];
        var images = pixels.reshape(n, layout.Channels, layout.Height, layout.Width).div(range);
        Tensor augmented;
        if (layout.Channels == 1)
        {
            augmented = _augmenter!.Apply(images, epoch, batch);
        }
        else
        {
            var first = images.narrow(1, 0, 1);
            var gray = images.narrow(1, 1, 1).eq(first).logical_and(images.narrow(1, 2, 1).eq(first)).flatten(1).all(1);
            long grayCount = gray.sum().item<long>();
            var asGray = grayCount == 0 ? null : _augmenter!.Apply(first.contiguous(), epoch, batch).expand(-1, 3, -1, -1);
            var asColour = grayCount == n ? null : _augmenter!.Apply(images, epoch, batch);
            augmented = asGray is null ? asColour! : asColour is null ? asGray : where(gray.view(n, 1, 1, 1), asGray, asColour);
        }
        return augmented.mul(range).reshape(n, -1);
    }

    private static BatchAugmenter? Augmenter(TripletEmbeddingOptions o, int seed) =>
        o.Augmentation.Operations.Count == 0 ? null : new BatchAugmenter(o.Augmentation, seed);

    /// <summary>Disposes the module.</summary>
    public void Dispose() => Module.Dispose();
}
