using MlNetExt.Core.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// A backbone's pooled features followed by a new head. Parameters are named <c>backbone.*</c> and <c>head.*</c>;
/// the backbone's built-in classifier is kept as a submodule (so pretrained weights still load) but not used.
/// </summary>
public sealed class ClassifierNetwork : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly BackboneNetwork _backbone;
    private readonly nn.Module<Tensor, Tensor> _head;

    /// <summary>Combines <paramref name="backbone"/> and <paramref name="head"/>.</summary>
    public ClassifierNetwork(BackboneNetwork backbone, nn.Module<Tensor, Tensor> head) : base(nameof(ClassifierNetwork))
    {
        _backbone = backbone ?? throw new ArgumentNullException(nameof(backbone));
        _head = head ?? throw new ArgumentNullException(nameof(head));
        register_module("backbone", _backbone);
        register_module("head", _head);
    }

    /// <summary>The feature extractor.</summary>
    public BackboneNetwork Backbone => _backbone;

    /// <summary>The head applied to the pooled features.</summary>
    public nn.Module<Tensor, Tensor> Head => _head;

    /// <summary>Head outputs for a batch of images.</summary>
    public override Tensor forward(Tensor input)
    {
        using var features = _backbone.Features(input);
        return _head.call(features);
    }

    /// <summary>Emits backbone features and the head into an ONNX graph.</summary>
    public string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix)
    {
        string features = _backbone.EmitOnnxFeatures(graph, input, parameterPrefix + "backbone.");
        return OnnxModuleExporter.Emit(graph, _head, features, parameterPrefix + "head.");
    }
}
