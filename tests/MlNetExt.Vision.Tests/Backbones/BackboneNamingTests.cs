using MlNetExt.Vision.Backbones;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Backbones;

public sealed class BackboneNamingTests
{
    private static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    [Theory]
    [InlineData("resnet18", 11_689_512L, 62, 60)]
    [InlineData("resnet34", 21_797_672L, 110, 108)]
    [InlineData("resnet50", 25_557_032L, 161, 159)]
    [InlineData("mobilenet_v2", 3_504_872L, 158, 156)]
    public void Parameter_and_buffer_counts_equal_torchvision(string name, long parameters, int parameterTensors, int bufferTensors)
    {
        using var net = BackboneRegistry.Create(name);

        Assert.Equal(parameters, ParameterCount(net));
        Assert.Equal(parameterTensors, net.named_parameters().Count());
        Assert.Equal(bufferTensors, net.named_buffers().Count());
        Assert.Equal(parameterTensors + bufferTensors, net.state_dict().Count);
    }

    [Fact]
    public void ResNet18_state_dict_uses_torchvision_names_and_shapes()
    {
        using var net = new ResNet(18);
        var sd = net.state_dict();

        AssertShape(sd, "conv1.weight", 64, 3, 7, 7);
        AssertShape(sd, "bn1.running_mean", 64);
        AssertShape(sd, "bn1.num_batches_tracked");
        AssertShape(sd, "layer1.0.conv1.weight", 64, 64, 3, 3);
        AssertShape(sd, "layer1.0.bn1.running_var", 64);
        AssertShape(sd, "layer2.0.downsample.0.weight", 128, 64, 1, 1);
        AssertShape(sd, "layer2.0.downsample.1.running_mean", 128);
        AssertShape(sd, "layer4.1.bn2.bias", 512);
        AssertShape(sd, "fc.weight", 1000, 512);
        AssertShape(sd, "fc.bias", 1000);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", sd.Keys);
    }

    [Fact]
    public void ResNet50_state_dict_uses_torchvision_bottleneck_names()
    {
        using var net = new ResNet(50);
        var sd = net.state_dict();

        AssertShape(sd, "layer1.0.conv1.weight", 64, 64, 1, 1);
        AssertShape(sd, "layer1.0.conv3.weight", 256, 64, 1, 1);
        AssertShape(sd, "layer1.0.downsample.0.weight", 256, 64, 1, 1);
        AssertShape(sd, "layer3.5.bn3.running_var", 1024);
        AssertShape(sd, "layer4.0.conv2.weight", 512, 512, 3, 3);
        AssertShape(sd, "layer4.2.conv3.weight", 2048, 512, 1, 1);
        AssertShape(sd, "fc.weight", 1000, 2048);
    }

    [Fact]
    public void MobileNetV2_state_dict_uses_torchvision_names_and_shapes()
    {
        using var net = new MobileNetV2();
        var sd = net.state_dict();

        AssertShape(sd, "features.0.0.weight", 32, 3, 3, 3);
        AssertShape(sd, "features.0.1.running_mean", 32);
        AssertShape(sd, "features.1.conv.0.0.weight", 32, 1, 3, 3);
        AssertShape(sd, "features.1.conv.1.weight", 16, 32, 1, 1);
        AssertShape(sd, "features.1.conv.2.running_var", 16);
        AssertShape(sd, "features.2.conv.0.0.weight", 96, 16, 1, 1);
        AssertShape(sd, "features.3.conv.1.0.weight", 144, 1, 3, 3);
        AssertShape(sd, "features.3.conv.2.weight", 24, 144, 1, 1);
        AssertShape(sd, "features.3.conv.3.num_batches_tracked");
        AssertShape(sd, "features.11.conv.2.weight", 96, 384, 1, 1);
        AssertShape(sd, "features.17.conv.2.weight", 320, 960, 1, 1);
        AssertShape(sd, "features.18.0.weight", 1280, 320, 1, 1);
        AssertShape(sd, "features.18.1.bias", 1280);
        AssertShape(sd, "classifier.1.weight", 1000, 1280);
        Assert.DoesNotContain("features.19.0.weight", sd.Keys);
    }

    private static void AssertShape(IDictionary<string, Tensor> sd, string name, params long[] shape)
    {
        Assert.True(sd.ContainsKey(name), $"missing '{name}'");
        Assert.Equal(shape, sd[name].shape);
    }
}
