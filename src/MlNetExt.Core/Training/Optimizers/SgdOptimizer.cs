using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Core.Training;

/// <summary>
/// Stochastic gradient descent with PyTorch's update: L2 weight decay added to the gradient, then (momentum &gt; 0) a
/// velocity buffer <c>b = momentum * b + g</c> started at the first gradient (no dampening, no Nesterov), and
/// <c>p -= lr * b</c>. Every number reaches libtorch as an explicit Scalar disposed after the call.
/// </summary>
internal sealed class SgdOptimizer : ParameterOptimizer
{
    private readonly double _momentum;
    private readonly double _weightDecay;
    private readonly Tensor?[][] _velocity;

    public SgdOptimizer(IReadOnlyList<OptimizerGroup> groups, double momentum, double weightDecay) : base(groups)
    {
        _momentum = momentum;
        _weightDecay = weightDecay;
        _velocity = groups.Select(g => new Tensor?[g.Parameters.Count]).ToArray();
    }

    protected override void Update(int group, int index, Parameter parameter, Tensor grad, double learningRate)
    {
        var g = grad;
        if (_weightDecay != 0)
        {
            using var decay = _weightDecay.ToScalar();
            g = grad.add(parameter, decay);
        }
        if (_momentum != 0)
        {
            var velocity = _velocity[group][index];
            if (velocity is null)
            {
                velocity = _velocity[group][index] = KeepState(g.clone());
            }
            else
            {
                using var momentum = _momentum.ToScalar();
                using var one = 1.ToScalar();
                velocity.mul_(momentum).add_(g, one);
            }
            g = velocity;
        }
        using var negativeLearningRate = (-learningRate).ToScalar();
        parameter.add_(g, negativeLearningRate);
    }
}
