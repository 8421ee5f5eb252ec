using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Core.Training;

/// <summary>
/// Adam (Kingma and Ba) with PyTorch's update: L2 weight decay added to the gradient, or, for AdamW (Loshchilov and
/// Hutter), decoupled decay <c>p *= 1 - lr * decay</c> before the step; bias-corrected moments, eps added to
/// sqrt(v / bias2). Every number reaches libtorch as an explicit Scalar disposed after the call.
/// </summary>
internal sealed class AdamOptimizer : ParameterOptimizer
{
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _eps;
    private readonly double _weightDecay;
    private readonly bool _decoupled;
    private readonly State[][] _states;

    public AdamOptimizer(IReadOnlyList<OptimizerGroup> groups, double weightDecay, bool decoupledWeightDecay,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) : base(groups)
    {
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        _weightDecay = weightDecay;
        _decoupled = decoupledWeightDecay;
        _states = groups.Select(g => new State[g.Parameters.Count]).ToArray();
    }

    protected override void Update(int group, int index, Parameter parameter, Tensor grad, double learningRate)
    {
        var state = _states[group][index] ??= new State(KeepState(zeros_like(parameter)), KeepState(zeros_like(parameter)));
        state.Step++;
        if (_decoupled && _weightDecay != 0)
        {
            using var keep = (1 - learningRate * _weightDecay).ToScalar();
            parameter.mul_(keep);
        }
        var g = grad;
        if (!_decoupled && _weightDecay != 0)
        {
            using var decay = _weightDecay.ToScalar();
            g = grad.add(parameter, decay);
        }
        double biasCorrection1 = 1 - Math.Pow(_beta1, state.Step);
        double biasCorrection2 = 1 - Math.Pow(_beta2, state.Step);

        using var beta1 = _beta1.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var eps = _eps.ToScalar();
        using var one = 1.ToScalar();
        using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var negativeStepSize = (-learningRate / biasCorrection1).ToScalar();

        state.Mean.mul_(beta1).add_(g, oneMinusBeta1);
        state.SquaredMean.mul_(beta2).addcmul_(g, g, oneMinusBeta2);
        using var denominator = state.SquaredMean.sqrt();
        denominator.div_(sqrtBiasCorrection2).add_(eps, one);
        parameter.addcdiv_(state.Mean, denominator, negativeStepSize);
    }

    private sealed class State(Tensor mean, Tensor squaredMean)
    {
        public long Step;

        public Tensor Mean { get; } = mean;

        public Tensor SquaredMean { get; } = squaredMean;
    }
}
