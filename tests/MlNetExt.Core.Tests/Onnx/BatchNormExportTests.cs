using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Onnx;

public class BatchNormExportTests
{
    /// <summary>Runs shifted, scaled batches through the module in train mode so running stats move away from 0 / 1.</summary>
    internal static void GiveRunningStatistics(nn.Module module, long[] shapeWithoutBatch)
    {
        var callable = (nn.Module<Tensor, Tensor>)module;
        module.train();
        using (var noGrad = torch.no_grad())
        {
            for (int i = 0; i < 20; i++)
            {
                using var scope = torch.NewDisposeScope();
                callable.call(Parity.RandomInput([8, .. shapeWithoutBatch], seed: 100 + i, scale: 3.0) + 1.5);
            }
        }
        module.eval();
    }

    [Fact]
    public void BatchNorm2d_in_eval_uses_running_statistics()
    {
        using var bn = nn.BatchNorm2d(4, eps: 1e-3);
        GiveRunningStatistics(bn, [4, 5, 5]);
        using (var noGrad = torch.no_grad())
        {
            bn.weight!.uniform_(0.5, 2.0);
            bn.bias!.uniform_(-1.0, 1.0);
        }
        Assert.True(bn.running_mean!.abs().max().item<float>() > 0.5f, "running mean should have moved");
        Assert.True((bn.running_var! - 1).abs().max().item<float>() > 1f, "running variance should have moved");

        Parity.AssertExportMatches(bn, [4, 5, 5], 1, 3);
    }

    [Fact]
    public void BatchNorm1d_without_affine_on_features_matches()
    {
        using var net = nn.Sequential(nn.Linear(5, 6), nn.BatchNorm1d(6, affine: false), nn.ELU());
        GiveRunningStatistics(net, [5]);
        Parity.AssertExportMatches(net, [5], 1, 9);
    }

    [Fact]
    public void BatchNorm1d_on_sequences_matches()
    {
        using var net = nn.Sequential(nn.Conv1d(3, 4, 3), nn.BatchNorm1d(4));
        GiveRunningStatistics(net, [3, 12]);
        Parity.AssertExportMatches(net, [3, 12], 2);
    }

    [Fact]
    public void BatchNorm_without_running_statistics_is_reported_as_unsupported()
    {
        using var net = nn.Sequential(("norm", nn.BatchNorm1d(3, track_running_stats: false)));

        var error = Assert.Throws<NotSupportedException>(() => MlNetExt.Core.Onnx.OnnxModuleExporter.Export(net, [3]));
        Assert.Contains("'norm'", error.Message);
        Assert.Contains("running statistics", error.Message);
    }
}
