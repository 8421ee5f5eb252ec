using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Core.Training;

/// <summary>
/// MlNetExt's own gradient-descent optimizers (the same updates as PyTorch's Adam, AdamW and SGD). TorchSharp 0.107's
/// optimizers pass numbers to <c>mul_</c>, <c>add_</c>, <c>addcdiv_</c>, ... as implicit Scalars that the garbage
/// collector may free during the native call (a process abort); these create every Scalar explicitly and dispose it
/// after the call. State tensors live outside dispose scopes until <see cref="Dispose"/>.
/// </summary>
internal abstract class ParameterOptimizer : IDisposable
{
    private readonly List<Tensor> _state = new();
    private bool _disposed;

    protected ParameterOptimizer(IReadOnlyList<OptimizerGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Groups = groups;
    }

    /// <summary>The parameter groups, each with its learning rate.</summary>
    public IReadOnlyList<OptimizerGroup> Groups { get; }

    /// <summary>Zeroes every parameter's gradient (in place, as TorchSharp's optimizers do).</summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var group in Groups)
            foreach (var parameter in group.Parameters)
            {
                using var grad = parameter.grad;
                grad?.zero_();
            }
    }

    /// <summary>Updates every parameter that has a gradient (under no_grad; temporaries live in a dispose scope of their own).</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int g = 0; g < Groups.Count; g++)
        {
            var group = Groups[g];
            for (int i = 0; i < group.Parameters.Count; i++)
            {
                var parameter = group.Parameters[i];
                using var grad = parameter.grad;
                if (grad is not null)
                    Update(g, i, parameter, grad, group.LearningRate);
            }
        }
    }

    /// <summary>Applies one update to <paramref name="parameter"/> (the <paramref name="index"/>-th of group <paramref name="group"/>).</summary>
    protected abstract void Update(int group, int index, Parameter parameter, Tensor grad, double learningRate);

    /// <summary>A state tensor owned by the optimizer (outside any dispose scope, disposed with it).</summary>
    protected Tensor KeepState(Tensor tensor)
    {
        var kept = tensor.DetachFromDisposeScope();
        _state.Add(kept);
        return kept;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var tensor in _state)
            tensor.Dispose();
        _state.Clear();
    }
}
