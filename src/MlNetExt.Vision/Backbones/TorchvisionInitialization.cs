using MlNetExt.Core.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>torchvision's weight initialisation for training from scratch.</summary>
internal static class TorchvisionInitialization
{
    /// <summary>
    /// Convolutions: Kaiming normal (fan_out, ReLU), zero bias; BatchNorm: weight 1, bias 0; Linear layers:
    /// normal(0, <paramref name="linearStd"/>) with zero bias when given, else TorchSharp's default.
    /// </summary>
    public static void Apply(nn.Module module, double? linearStd = null)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    conv.bias?.zero_();
                    break;
                case BatchNorm bn:
                    bn.weight?.FillInPlace(1);
                    bn.bias?.zero_();
                    break;
                case Linear linear when linearStd is double std:
                    nn.init.normal_(linear.weight!, 0, std);
                    linear.bias?.zero_();
                    break;
            }
        }
    }
}
