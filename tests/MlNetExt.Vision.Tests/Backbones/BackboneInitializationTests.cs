using MlNetExt.Vision.Backbones;
using TorchSharp;
using Xunit;

namespace MlNetExt.Vision.Tests.Backbones;

public sealed class BackboneInitializationTests
{
    [Fact]
    public void Fresh_networks_use_torchvision_initialisation()
    {
        torch.manual_seed(71);
        using var resnet = new ResNet(18);
        using var mobilenet = new MobileNetV2();
        var r = resnet.state_dict();
        var m = mobilenet.state_dict();

        double convStd = r["layer4.0.conv1.weight"].std().item<float>();
        double expected = Math.Sqrt(2.0 / (512 * 3 * 3));   // Kaiming normal, fan_out, ReLU gain
        double classifierStd = m["classifier.1.weight"].std().item<float>();

        Assert.InRange(convStd, expected * 0.98, expected * 1.02);
        Assert.InRange(classifierStd, 0.0098, 0.0102);
        Assert.Equal(0f, m["classifier.1.bias"].abs().sum().item<float>());
        Assert.Equal(1f, r["bn1.weight"].mean().item<float>());
    }
}
