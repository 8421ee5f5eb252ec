using MlNetExt.Core.Onnx;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Backbones;

public sealed class BackboneOnnxParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string, string?, int> Architectures => new()
    {
        { "resnet18", null, 32 },
        { "resnet34", null, 32 },
        { "resnet50", null, 32 },
        { "mobilenet_v2", null, 64 },
        { "small_cnn", null, 28 },
        { "resnet18", "layer2", 40 },
        { "mobilenet_v2", "features.11", 48 },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Backbone_matches_onnx_runtime(string name, string? truncateAfter, int size)
    {
        torch.manual_seed(41);
        using var net = BackboneRegistry.Create(name, new BackboneOptions { NumClasses = 10, TruncateAfter = truncateAfter });
        RandomBatchNormStatistics.Apply(net, 41);
        net.eval();

        double error = Parity(net, size);

        Assert.True(error < Tolerance, $"{name}: max relative error {error}");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(33)]
    public void Keras_compatible_MobileNetV2_matches_onnx_runtime_for_even_and_odd_sizes(int size)
    {
        torch.manual_seed(42);
        using var net = new MobileNetV2(new MobileNetV2Options { KerasCompatible = true, TruncateAfter = MobileNetV2Options.StageOfBlock(10) });
        RandomBatchNormStatistics.Apply(net, 42);
        net.eval();

        double error = Parity(net, size);

        Assert.True(error < Tolerance, $"max relative error {error}");
    }

    [Fact]
    public void Classifier_with_new_head_matches_onnx_runtime_and_names_initializers_after_the_state_dict()
    {
        torch.manual_seed(43);
        using var backbone = new SmallCnn(new SmallCnnOptions { InputChannels = 1 });
        using var net = backbone.WithHead(nn.Sequential(("0", (nn.Module<Tensor, Tensor>)nn.Linear(128, 16)), ("1", nn.ReLU()), ("2", nn.Linear(16, 3))));
        RandomBatchNormStatistics.Apply(net, 43);
        net.eval();

        var onnx = OnnxModuleExporter.Export(net, new long[] { 1, 28, 28 });
        using var input = torch.randn(2, 1, 28, 28);
        double error = OnnxParity.MaxRelativeError(net, onnx, input);
        using var initializers = OnnxInitializerReader.Load(onnx);

        Assert.True(error < Tolerance, $"max relative error {error}");
        Assert.Contains("backbone.features.2.1.running_var", initializers.Keys);
        Assert.Contains("head.2.weight", initializers.Keys);
        Assert.True(TensorEquality.Same(net.state_dict()["backbone.features.2.1.running_var"], initializers["backbone.features.2.1.running_var"]));
    }

    [Fact]
    public void Weights_read_back_from_an_exported_model_load_into_a_fresh_network()
    {
        torch.manual_seed(44);
        using var source = new MobileNetV2(new MobileNetV2Options { TruncateAfter = "features.4" });
        RandomBatchNormStatistics.Apply(source, 44);
        var onnx = OnnxModuleExporter.Export(source, new long[] { 3, 32, 32 });
        using var fresh = new MobileNetV2(new MobileNetV2Options { TruncateAfter = "features.4" });
        using var initializers = OnnxInitializerReader.Load(onnx);

        var report = fresh.LoadWeights(initializers, new WeightLoadOptions { Strict = false });

        Assert.Empty(report.MissingKeys);
        Assert.Empty(report.ShapeMismatches);
        Assert.True(TensorEquality.Same(source.state_dict()["features.3.conv.1.0.weight"], fresh.state_dict()["features.3.conv.1.0.weight"]));
        Assert.True(TensorEquality.Same(source.state_dict()["features.2.conv.3.running_mean"], fresh.state_dict()["features.2.conv.3.running_mean"]));
    }

    [Theory]
    [InlineData("resnet18", false, 32)]
    [InlineData("resnet50", false, 32)]
    [InlineData("mobilenet_v2", true, 33)]
    [InlineData("mobilenet_v2", false, 48)]
    [InlineData("small_cnn", false, 28)]
    public void Folded_batch_norm_export_matches_and_has_no_batch_norm_left(string name, bool keras, int size)
    {
        torch.manual_seed(45);
        var options = name == "mobilenet_v2" ? new MobileNetV2Options { KerasCompatible = keras, NumClasses = 5 } : new BackboneOptions { NumClasses = 5 };
        using var net = BackboneRegistry.Create(name, options);
        RandomBatchNormStatistics.Apply(net, 45);
        net.eval();

        var folded = BackboneOnnxExport.Export(net, new long[] { 3, size, size }, new BackboneOnnxExportOptions { FoldBatchNorm = true });
        using var input = torch.randn(2, 3, size, size);
        double error = OnnxParity.MaxRelativeError(net, folded, input);
        using var initializers = OnnxInitializerReader.Load(folded);
        output.WriteLine($"{name} keras={keras} folded {size}px: max relative error {error:E6}");

        Assert.True(error < Tolerance, $"max relative error {error}");
        Assert.DoesNotContain(initializers.Keys, k => k.EndsWith("running_mean", StringComparison.Ordinal));
        Assert.Contains(initializers.Keys, k => k.EndsWith("folded_weight", StringComparison.Ordinal));
        Assert.True(folded.Length < OnnxModuleExporter.Export(net, new long[] { 3, size, size }).Length);
    }

    private double Parity(BackboneNetwork net, int size)
    {
        long channels = net.state_dict().First().Value.shape[1];
        var onnx = OnnxModuleExporter.Export(net, new long[] { channels, size, size });
        using var input = torch.randn(2, channels, size, size);
        double error = OnnxParity.MaxRelativeError(net, onnx, input);
        output.WriteLine($"{net.Architecture} [{string.Join(", ", net.StageNames[^1])}] {size}px: max relative error {error:E2}");
        return error;
    }
}
