using TorchSharp;

namespace MlNetExt.Core.Training;

/// <summary>CPU copies of a module's state_dict, taken and restored outside any dispose scope's reach.</summary>
internal static class WeightSnapshot
{
    /// <summary>Copies every state_dict entry of <paramref name="module"/> to the CPU.</summary>
    public static Dictionary<string, torch.Tensor> Capture(torch.nn.Module module) => Copy(module.state_dict());

    /// <summary>Copies every tensor of <paramref name="weights"/> to new CPU tensors owned by the caller.</summary>
    public static Dictionary<string, torch.Tensor> Copy(IReadOnlyDictionary<string, torch.Tensor> weights)
    {
        var copy = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        using var scope = torch.NewDisposeScope();
        foreach (var (name, tensor) in weights)
            copy[name] = tensor.detach().cpu().clone().DetachFromDisposeScope();
        return copy;
    }

    /// <summary>Copies <paramref name="weights"/> into <paramref name="module"/>'s state in place.</summary>
    public static void Restore(torch.nn.Module module, IReadOnlyDictionary<string, torch.Tensor> weights)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in module.state_dict())
        {
            if (weights.TryGetValue(name, out var source))
                target.copy_(source);
        }
    }

    /// <summary>Disposes every tensor of a snapshot.</summary>
    public static void Dispose(Dictionary<string, torch.Tensor>? weights)
    {
        if (weights is null)
            return;
        foreach (var tensor in weights.Values)
            tensor.Dispose();
        weights.Clear();
    }
}
