using MlNetExt.Core.Torch;
using MlNetExt.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Training;

/// <summary>MlNetExt's own optimizers give the same weights as TorchSharp's Adam, AdamW and SGD after many steps, with two
/// parameter groups at different learning rates that change every step (as a schedule does).</summary>
public class OptimizerParityTests
{
    public enum Kind { Adam, AdamWithL2, AdamW, Sgd, SgdWithDecay, SgdWithoutMomentum }

    [Theory]
    [InlineData(Kind.Adam)]
    [InlineData(Kind.AdamWithL2)]
    [InlineData(Kind.AdamW)]
    [InlineData(Kind.Sgd)]
    [InlineData(Kind.SgdWithDecay)]
    [InlineData(Kind.SgdWithoutMomentum)]
    public void Own_optimizer_matches_TorchSharp_after_thirty_steps(Kind kind)
    {
        const int steps = 30;
        var generator = new Generator(5);
        using var reference = Network(generator);
        using var own = Network(generator);
        CopyWeights(reference, own);
        var inputs = randn(new long[] { 16, 6 }, generator: generator);
        var targets = randn(new long[] { 16, 3 }, generator: generator);

        var (referenceGroups, ownGroups) = (Groups(reference), Groups(own));
        using var torchOptimizer = TorchSharpOptimizer(kind, referenceGroups);
        using var ownOptimizer = OwnOptimizer(kind, ownGroups);

        for (int step = 0; step < steps; step++)
        {
            double lr = 0.02 * (1 + Math.Cos(Math.PI * step / steps)) / 2 + 1e-3;   // a schedule: the rate changes every step
            var torchGroups = torchOptimizer.ParamGroups.ToArray();
            torchGroups[0].LearningRate = lr;
            torchGroups[1].LearningRate = lr * 0.1;
            ownOptimizer.Groups[0].LearningRate = lr;
            ownOptimizer.Groups[1].LearningRate = lr * 0.1;

            using (var scope = NewDisposeScope())
            {
                torchOptimizer.zero_grad();
                nn.functional.mse_loss(reference.call(inputs), targets).backward();
                torchOptimizer.step();
            }
            using (var scope = NewDisposeScope())
            {
                ownOptimizer.ZeroGrad();
                nn.functional.mse_loss(own.call(inputs), targets).backward();
                ownOptimizer.Step();
            }
        }

        var expected = reference.parameters().Select(p => p.detach().data<float>().ToArray()).ToArray();
        var actual = own.parameters().Select(p => p.detach().data<float>().ToArray()).ToArray();
        using var untrained = Network(new Generator(5));
        var initial = untrained.parameters().Select(p => p.detach().data<float>().ToArray()).ToArray();
        double moved = 0, worst = 0;
        for (int p = 0; p < expected.Length; p++)
            for (int i = 0; i < expected[p].Length; i++)
            {
                moved = Math.Max(moved, Math.Abs(expected[p][i] - initial[p][i]));
                worst = Math.Max(worst, Math.Abs(expected[p][i] - actual[p][i]));
            }
        Assert.True(moved > 1e-2, $"the weights hardly moved ({moved}); the comparison would be vacuous");
        Assert.True(worst < 1e-5, $"largest weight difference after {steps} steps: {worst}");
    }

    private static Sequential Network(Generator generator)
    {
        var network = nn.Sequential(("0", nn.Linear(6, 8)), ("1", nn.Tanh()), ("2", nn.Linear(8, 3)));
        using var noGrad = no_grad();
        foreach (var p in network.parameters())
            p.copy_(randn(p.shape, generator: generator).TimesInPlace(0.3));
        return network;
    }

    private static void CopyWeights(Sequential from, Sequential to)
    {
        using var noGrad = no_grad();
        foreach (var (source, target) in from.parameters().Zip(to.parameters()))
            target.copy_(source);
    }

    private static (Parameter[] First, Parameter[] Second) Groups(Sequential network)
    {
        var all = network.parameters().ToArray();
        return (all[..2], all[2..]);
    }

    private static optim.Optimizer TorchSharpOptimizer(Kind kind, (Parameter[] First, Parameter[] Second) g) => kind switch
    {
        Kind.Adam => optim.Adam([new Adam.ParamGroup(g.First, lr: 0.01), new Adam.ParamGroup(g.Second, lr: 0.001)]),
        Kind.AdamWithL2 => optim.Adam([new Adam.ParamGroup(g.First, lr: 0.01, weight_decay: 0.05), new Adam.ParamGroup(g.Second, lr: 0.001, weight_decay: 0.05)]),
        Kind.AdamW => optim.AdamW([new AdamW.ParamGroup(g.First, lr: 0.01, weight_decay: 0.05), new AdamW.ParamGroup(g.Second, lr: 0.001, weight_decay: 0.05)]),
        Kind.Sgd => optim.SGD([new SGD.ParamGroup(g.First, lr: 0.01, momentum: 0.9), new SGD.ParamGroup(g.Second, lr: 0.001, momentum: 0.9)], 0.01),
        Kind.SgdWithDecay => optim.SGD([new SGD.ParamGroup(g.First, lr: 0.01, momentum: 0.9, weight_decay: 0.05), new SGD.ParamGroup(g.Second, lr: 0.001, momentum: 0.9, weight_decay: 0.05)], 0.01),
        _ => optim.SGD([new SGD.ParamGroup(g.First, lr: 0.01), new SGD.ParamGroup(g.Second, lr: 0.001)], 0.01),
    };

    private static ParameterOptimizer OwnOptimizer(Kind kind, (Parameter[] First, Parameter[] Second) g)
    {
        OptimizerGroup[] groups = [new(g.First, 0.01), new(g.Second, 0.001)];
        return kind switch
        {
            Kind.Adam => new AdamOptimizer(groups, 0, decoupledWeightDecay: false),
            Kind.AdamWithL2 => new AdamOptimizer(groups, 0.05, decoupledWeightDecay: false),
            Kind.AdamW => new AdamOptimizer(groups, 0.05, decoupledWeightDecay: true),
            Kind.Sgd => new SgdOptimizer(groups, 0.9, 0),
            Kind.SgdWithDecay => new SgdOptimizer(groups, 0.9, 0.05),
            _ => new SgdOptimizer(groups, 0, 0),
        };
    }
}
