using MlNetExt.Core.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// A convolutional backbone whose parameter names follow torchvision. <see cref="FeatureMap"/> runs the kept
/// stages, <see cref="Features"/> adds global average pooling (the penultimate layer), and the forward pass
/// applies the built-in classifier when there is one (otherwise it returns the pooled features).
/// </summary>
public abstract class BackboneNetwork : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Creates the module with the given TorchSharp module name.</summary>
    protected BackboneNetwork(string name) : base(name)
    {
    }

    /// <summary>Registry name of the architecture, for example <c>resnet18</c>.</summary>
    public abstract string Architecture { get; }

    /// <summary>Width of <see cref="Features"/>: channels of the last kept stage.</summary>
    public abstract long FeatureDimension { get; }

    /// <summary>Names of the stages this network holds, in order (the names <see cref="BackboneOptions.TruncateAfter"/> accepts).</summary>
    public abstract IReadOnlyList<string> StageNames { get; }

    /// <summary>The classifier applied after <see cref="Features"/>, or <c>null</c> for a headless backbone.</summary>
    public abstract nn.Module<Tensor, Tensor>? Classifier { get; }

    /// <summary>Number of classes of the built-in classifier, or <c>null</c> when headless.</summary>
    public abstract int? NumClasses { get; }

    /// <summary>Runs the kept stages: <c>[N, C, H, W]</c> images to a <c>[N, FeatureDimension, h, w]</c> map.</summary>
    public abstract Tensor FeatureMap(Tensor input);

    /// <summary>Pooled features <c>[N, FeatureDimension]</c>: the feature map after global average pooling.</summary>
    public Tensor Features(Tensor input)
    {
        using var map = FeatureMap(input);
        return map.mean(new long[] { 2, 3 });
    }

    /// <summary>Logits when the backbone has a classifier, pooled features otherwise.</summary>
    public override Tensor forward(Tensor input)
    {
        var classifier = Classifier;
        if (classifier is null)
        {
            return Features(input);
        }

        using var features = Features(input);
        return classifier.call(features);
    }

    /// <summary>Puts a new head on the pooled features; the built-in classifier (if any) is not used.</summary>
    /// <param name="head">Module mapping <c>[N, FeatureDimension]</c> to the new outputs.</param>
    public ClassifierNetwork WithHead(nn.Module<Tensor, Tensor> head) => new(this, head);

    /// <summary>State-dict name of the built-in classifier (<c>fc</c> or <c>classifier</c>).</summary>
    protected abstract string ClassifierName { get; }

    /// <summary>Emits the kept stages (what <see cref="FeatureMap"/> computes) into an ONNX graph.</summary>
    protected abstract string EmitOnnxFeatureMap(OnnxGraphBuilder graph, string input, string parameterPrefix);

    /// <summary>Emits <see cref="Features"/> (feature map, GlobalAveragePool, Flatten) into an ONNX graph.</summary>
    public string EmitOnnxFeatures(OnnxGraphBuilder graph, string input, string parameterPrefix)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string map = EmitOnnxFeatureMap(graph, input, parameterPrefix);
        string pooled = graph.AddNode("GlobalAveragePool", [map]);
        return graph.AddNode("Flatten", [pooled], null, OnnxAttribute.Int("axis", 1));
    }

    /// <summary>Emits the forward pass (features, then the classifier when there is one) into an ONNX graph.</summary>
    public string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix)
    {
        string features = EmitOnnxFeatures(graph, input, parameterPrefix);
        var classifier = Classifier;
        return classifier is null
            ? features
            : OnnxModuleExporter.Emit(graph, classifier, features, parameterPrefix + ClassifierName + ".");
    }

    /// <summary>Checks a <see cref="BackboneOptions.TruncateAfter"/> value against the stage names and returns its index.</summary>
    protected static int ResolveStage(string architecture, IReadOnlyList<string> allStages, string? truncateAfter)
    {
        if (truncateAfter is null)
        {
            return allStages.Count - 1;
        }

        for (int i = 0; i < allStages.Count; i++)
        {
            if (string.Equals(allStages[i], truncateAfter, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException(
            $"'{truncateAfter}' is not a stage of {architecture}; stages are: {string.Join(", ", allStages)}.",
            nameof(BackboneOptions.TruncateAfter));
    }
}
