using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Backbones;

internal static class RandomBatchNormStatistics
{
    /// <summary>Gives every BatchNorm non-trivial running statistics and affine parameters (as a trained net has).</summary>
    public static void Apply(nn.Module module, int seed)
    {
        var generator = new torch.Generator((ulong)seed);
        using var noGrad = torch.no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            if (child is BatchNorm bn)
            {
                long c = bn.running_mean!.shape[0];
                bn.running_mean.copy_(torch.randn(c, generator: generator) * 0.2);
                bn.running_var!.copy_(torch.rand(c, generator: generator) + 0.5);
                bn.weight!.copy_(torch.randn(c, generator: generator) * 0.2 + 1);
                bn.bias!.copy_(torch.randn(c, generator: generator) * 0.2);
            }
        }
    }
}
