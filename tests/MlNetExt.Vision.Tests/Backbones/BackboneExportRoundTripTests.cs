using MlNetExt.Core.Onnx;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;

namespace MlNetExt.Vision.Tests.Backbones;

public sealed class BackboneExportRoundTripTests
{
    [Theory]
    [InlineData("mobilenet_v2", false)]
    [InlineData("mobilenet_v2", true)]
    [InlineData("resnet18", false)]
    [InlineData("small_cnn", false)]
    public void Exported_backbone_loads_back_strictly_into_a_fresh_network(string name, bool keras)
    {
        torch.manual_seed(46);
        BackboneOptions Options() => name == "mobilenet_v2"
            ? new MobileNetV2Options { KerasCompatible = keras, NumClasses = 7 }
            : new BackboneOptions { NumClasses = 7 };
        using var source = BackboneRegistry.Create(name, Options());
        RandomBatchNormStatistics.Apply(source, 46);
        var onnx = OnnxModuleExporter.Export(source, [3, 32, 32]);
        using var fresh = BackboneRegistry.Create(name, Options());
        using var initializers = OnnxInitializerReader.Load(onnx, $"{name}.onnx");

        // Strict: no missing, unexpected (such as ReLU6 clip bounds named like parameters) or mismatched entries.
        var report = fresh.LoadWeights(initializers, new WeightLoadOptions { Strict = true }, $"{name}.onnx");

        Assert.True(report.IsExactMatch, report.Describe());
        foreach (var (key, tensor) in source.state_dict().Where(e => !e.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)))
            Assert.True(TensorEquality.Same(tensor, fresh.state_dict()[key]), key);
    }
}
