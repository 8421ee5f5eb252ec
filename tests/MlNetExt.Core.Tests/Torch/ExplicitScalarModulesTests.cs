using MlNetExt.Core.Onnx;
using MlNetExt.Core.Tests.Onnx;
using MlNetExt.Core.Torch;
using MlNetExt.Tests.Shared;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Torch;

public class ExplicitScalarModulesTests
{
    [Fact]
    public void BatchNorm2d_trains_and_evaluates_exactly_like_TorchSharps()
    {
        using var reference = nn.BatchNorm2d(3, eps: 1e-3, momentum: 0.2);
        using var own = new ExplicitScalarBatchNorm2d(3, eps: 1e-3, momentum: 0.2);
        Assert.Equal(reference.state_dict().Keys.Order(), own.state_dict().Keys.Order());
        var generator = new Generator(3);
        for (int step = 0; step < 4; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(new long[] { 5, 3, 4, 4 }, generator: generator);
            reference.train();
            own.train();
            Assert.Equal(reference.call(x).data<float>().ToArray(), own.call(x).data<float>().ToArray());
        }
        foreach (var (name, expected) in reference.state_dict())
            Assert.Equal(expected.to_type(ScalarType.Float64).data<double>().ToArray(), own.state_dict()[name].to_type(ScalarType.Float64).data<double>().ToArray());
        Assert.Equal(4L, own.num_batches_tracked!.item<long>());

        reference.eval();
        own.eval();
        using var evalScope = NewDisposeScope();
        var input = randn(new long[] { 2, 3, 4, 4 }, generator: generator);
        Assert.Equal(reference.call(input).data<float>().ToArray(), own.call(input).data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => own.call(randn(2, 3)));
    }

    [Fact]
    public void BatchNorm2d_exports_to_ONNX_as_TorchSharps_does()
    {
        using var module = new ExplicitScalarBatchNorm2d(4);
        using (no_grad())
        {
            module.running_mean!.copy_(randn(4));
            module.running_var!.copy_(rand(4).PlusInPlace(0.5));
        }
        Parity.AssertExportMatches(module, [4, 3, 3], 1, 3);
    }

    [Fact]
    public void Softplus_module_matches_TorchSharps_and_exports_to_ONNX()
    {
        using var reference = nn.Softplus();
        using var own = new ExplicitScalarSoftplus();
        using var scope = NewDisposeScope();
        var x = Parity.RandomInput([6, 7], seed: 4, scale: 8);
        Assert.True((reference.call(x) - own.call(x)).abs().max().item<float>() < 1e-6f);
        Parity.AssertExportMatches(own, [7], 1, 4);
    }
}

[Collection(nameof(GcStressCollection))]
[Trait("Category", "GcStress")]
public class ExplicitScalarModulesFinalizerTests
{
    [Fact]
    public void Training_steps_of_the_modules_leave_no_Scalar_to_the_finalizer_where_TorchSharps_do()
    {
        using var finalized = new FinalizedTorchObjects();
        finalized.SelfCheck();

        long Count(nn.Module<Tensor, Tensor> module, long[] shape)
        {
            long before = finalized.Scalars;
            module.train();
            for (int i = 0; i < 20; i++)
            {
                using var scope = NewDisposeScope();
                module.call(randn(shape));
            }
            finalized.Flush();
            return finalized.Scalars - before;
        }

        using var torchBatchNorm = nn.BatchNorm2d(3);
        using var ownBatchNorm = new ExplicitScalarBatchNorm2d(3);
        using var torchSoftplus = nn.Softplus();
        using var ownSoftplus = new ExplicitScalarSoftplus();
        Assert.True(Count(torchBatchNorm, [2, 3, 4, 4]) >= 20, "TorchSharp's BatchNorm2d was expected to leave Scalars (the hazard this module avoids)");
        Assert.Equal(0, Count(ownBatchNorm, [2, 3, 4, 4]));
        Assert.True(Count(torchSoftplus, [2, 3]) >= 20, "TorchSharp's Softplus was expected to leave Scalars");
        Assert.Equal(0, Count(ownSoftplus, [2, 3]));
    }
}
