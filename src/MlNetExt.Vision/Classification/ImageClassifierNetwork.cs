using MlNetExt.Core.Onnx;
using MlNetExt.Core.Torch;
using MlNetExt.Vision.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// The whole trained model: raw pixels <c>[N, C*H*W]</c> in [0, 255] -> images in [0, 1] (gray replicated to RGB,
/// bilinear resize to the training size) -> normalisation -> backbone features -> head logits. Exports itself to ONNX
/// with the same steps, so a scored pixel vector gives the same logits in ONNX Runtime.
/// </summary>
internal sealed class ImageClassifierNetwork : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly ClassifierNetwork net;
    private readonly PixelLayout _layout;
    private readonly int _size;
    private readonly float[] _mean;
    private readonly float[] _std;

    public ImageClassifierNetwork(BackboneNetwork backbone, nn.Module<Tensor, Tensor> head, PixelLayout layout, int imageSize,
        float[] mean, float[] std) : base(nameof(ImageClassifierNetwork))
    {
        net = new ClassifierNetwork(backbone, head);
        _layout = layout;
        _size = imageSize;
        _mean = mean;
        _std = std;
        RegisterComponents();
    }

    public BackboneNetwork Backbone => net.Backbone;

    public nn.Module<Tensor, Tensor> Head => net.Head;

    public PixelLayout Layout => _layout;

    public int ImageSize => _size;

    public float[] Mean => _mean;

    public float[] Std => _std;

    /// <summary>Pixel vectors [N, C*H*W] in [0, 255] -> RGB images [N, 3, S, S] in [0, 1].</summary>
    public Tensor ToImages(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var images = pixels.reshape(-1, _layout.Channels, _layout.Height, _layout.Width).DividedBy(255);
        if (_layout.Channels == 1)
            images = images.expand(-1, 3, -1, -1).contiguous();
        if (_layout.Height != _size || _layout.Width != _size)
            images = nn.functional.interpolate(images, new long[] { _size, _size }, mode: InterpolationMode.Bilinear, align_corners: false);
        return images.MoveToOuterDisposeScope();
    }

    /// <summary>(x - mean) / std per channel.</summary>
    public Tensor Normalize(Tensor images)
    {
        using var scope = NewDisposeScope();
        var mean = tensor(_mean, device: images.device).reshape(1, 3, 1, 1);
        var std = tensor(_std, device: images.device).reshape(1, 3, 1, 1);
        return ((images - mean) / std).MoveToOuterDisposeScope();
    }

    /// <summary>Pooled backbone features of normalised images.</summary>
    public Tensor Features(Tensor normalized) => net.Backbone.Features(normalized);

    /// <summary>Logits of normalised images.</summary>
    public Tensor Logits(Tensor normalized) => net.call(normalized);

    /// <summary>Logits of raw pixel vectors.</summary>
    public override Tensor forward(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        using var images = ToImages(pixels);
        using var normalized = Normalize(images);
        return net.call(normalized).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix)
    {
        string shape = graph.AddConstant("pixel_shape", new long[] { -1, _layout.Channels, _layout.Height, _layout.Width }, 4);
        string x = graph.AddNode("Reshape", [input, shape]);
        x = graph.AddNode("Div", [x, graph.AddConstant("pixel_range", new[] { 255f })]);
        if (_layout.Channels == 1)
            x = graph.AddNode("Concat", [x, x, x], null, OnnxAttribute.Int("axis", 1));
        if (_layout.Height != _size || _layout.Width != _size)
            x = EmitResize(graph, x, _size);
        return EmitOnnxFromImages(graph, x, parameterPrefix);
    }

    /// <summary>Emits normalisation, backbone and head for RGB images [N, 3, S, S] with values in [0, 1].</summary>
    public string EmitOnnxFromImages(OnnxGraphBuilder graph, string images, string parameterPrefix)
    {
        string x = graph.AddNode("Sub", [images, graph.AddConstant("mean", _mean, 1, 3, 1, 1)]);
        x = graph.AddNode("Div", [x, graph.AddConstant("std", _std, 1, 3, 1, 1)]);
        return net.EmitOnnx(graph, x, parameterPrefix + "net.");
    }

    /// <summary>Bilinear resize of an NCHW float value to size x size (half-pixel centres, no antialiasing: torch's
    /// <c>interpolate(align_corners: false)</c>).</summary>
    public static string EmitResize(OnnxGraphBuilder graph, string x, int size)
    {
        string inputShape = graph.AddNode("Shape", [x]);
        string batchAndChannels = graph.AddNode("Slice", [inputShape, graph.AddConstant("zero", new long[] { 0 }, 1), graph.AddConstant("two", new long[] { 2 }, 1)]);
        string sizes = graph.AddNode("Concat", [batchAndChannels, graph.AddConstant("target_size", new long[] { size, size }, 2)], null,
            OnnxAttribute.Int("axis", 0));
        return graph.AddNode("Resize", [x, "", "", sizes], null, OnnxAttribute.String("mode", "linear"),
            OnnxAttribute.String("coordinate_transformation_mode", "half_pixel"));
    }
}
