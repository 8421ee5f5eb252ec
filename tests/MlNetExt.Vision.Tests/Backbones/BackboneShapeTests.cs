using MlNetExt.Vision.Backbones;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Backbones;

public sealed class BackboneShapeTests
{
    [Theory]
    [InlineData("resnet18", 512L)]
    [InlineData("resnet34", 512L)]
    [InlineData("resnet50", 2048L)]
    [InlineData("mobilenet_v2", 1280L)]
    [InlineData("small_cnn", 128L)]
    public void Features_have_the_reported_dimension_and_forward_gives_logits(string name, long dimension)
    {
        torch.manual_seed(1);
        using var net = BackboneRegistry.Create(name, new BackboneOptions { NumClasses = 7 });
        net.eval();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 3, 32, 32);

        using (torch.no_grad())
        {
            Assert.Equal(dimension, net.FeatureDimension);
            Assert.Equal(new[] { 2L, dimension }, net.Features(x).shape);
            Assert.Equal(new[] { 2L, 7L }, net.call(x).shape);
        }
    }

    [Fact]
    public void Headless_backbone_forward_returns_pooled_features()
    {
        using var net = new ResNet(18, new BackboneOptions { NumClasses = null });
        using var scope = torch.NewDisposeScope();

        net.eval();
        var y = net.call(torch.randn(2, 3, 32, 32));

        Assert.Null(net.Classifier);
        Assert.Equal(new[] { 2L, 512L }, y.shape);
        Assert.DoesNotContain(net.state_dict().Keys, k => k.StartsWith("fc.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("resnet18", "layer3", 256L, 4L)]
    [InlineData("resnet50", "layer2", 512L, 8L)]
    [InlineData("mobilenet_v2", "features.11", 96L, 4L)]
    [InlineData("mobilenet_v2", "features.7", 64L, 4L)]
    [InlineData("small_cnn", "features.1", 64L, 16L)]
    public void Truncated_backbone_stops_at_the_named_stage(string name, string stage, long channels, long spatial)
    {
        using var net = BackboneRegistry.Create(name, new BackboneOptions { TruncateAfter = stage });
        using var scope = torch.NewDisposeScope();
        net.eval();

        var map = net.FeatureMap(torch.randn(2, 3, 64, 64));

        Assert.Equal(channels, net.FeatureDimension);
        Assert.Equal(new[] { 2L, channels, spatial, spatial }, map.shape);
        Assert.Equal(stage, net.StageNames[^1]);
        Assert.Null(net.Classifier);
    }

    [Fact]
    public void Keras_block_10_is_features_11_with_96_channels_and_nothing_after_it()
    {
        var options = new MobileNetV2Options { KerasCompatible = true, TruncateAfter = MobileNetV2Options.StageOfBlock(10) };
        using var net = new MobileNetV2(options);
        var keys = net.state_dict().Keys.ToList();

        Assert.Equal("features.11", options.TruncateAfter);
        Assert.Equal(96, net.FeatureDimension);
        Assert.Contains("features.11.conv.3.running_var", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("features.12.", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.StartsWith("classifier.", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_stage_names_the_valid_stages()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ResNet(18, new BackboneOptions { TruncateAfter = "layer5" }));

        Assert.Contains("layer5", ex.Message);
        Assert.Contains("layer4", ex.Message);
    }

    [Fact]
    public void WithHead_replaces_the_classifier_on_pooled_features()
    {
        torch.manual_seed(3);
        using var backbone = new MobileNetV2(new MobileNetV2Options { TruncateAfter = "features.7" });
        using var net = backbone.WithHead(nn.Linear(backbone.FeatureDimension, 3));
        using var scope = torch.NewDisposeScope();
        net.eval();
        var x = torch.randn(2, 3, 32, 32);

        var y = net.call(x);
        var head = (nn.Module<Tensor, Tensor>)net.Head;
        var expected = head.call(backbone.Features(x));

        Assert.Equal(new[] { 2L, 3L }, y.shape);
        Assert.True(torch.allclose(y, expected));
        Assert.Contains("head.weight", net.state_dict().Keys);
        Assert.Contains("backbone.features.0.0.weight", net.state_dict().Keys);
    }

    [Theory]
    [InlineData(32L, 0L, 1L)]
    [InlineData(33L, 1L, 1L)]
    public void Keras_stem_pads_like_tensorflow_same(long size, long before, long after)
    {
        torch.manual_seed(5);
        using var net = new MobileNetV2(new MobileNetV2Options { KerasCompatible = true, TruncateAfter = "features.0" });
        net.eval();
        using var scope = torch.NewDisposeScope();
        var sd = net.state_dict();
        sd["features.0.1.running_mean"].copy_(torch.rand(32));
        sd["features.0.1.running_var"].copy_(torch.rand(32) + 0.5);
        var x = torch.randn(2, 3, size, size);

        Tensor actual;
        using (torch.no_grad())
        {
            actual = net.FeatureMap(x);
        }

        var padded = nn.functional.pad(x, new[] { before, after, before, after });
        var conv = nn.functional.conv2d(padded, sd["features.0.0.weight"], null, new long[] { 2, 2 });
        var bn = nn.functional.batch_norm(conv, sd["features.0.1.running_mean"], sd["features.0.1.running_var"],
            sd["features.0.1.weight"], sd["features.0.1.bias"], training: false, eps: 1e-3);
        var expected = bn.clamp(0, 6);

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(torch.allclose(actual, expected, rtol: 1e-5, atol: 1e-5));
    }
}
