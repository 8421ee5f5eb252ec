using TorchSharp;

namespace MlNetExt.Core.Training;

/// <summary>One minibatch: one tensor per column, float32 [N, width] (scalars have width 1) or int64 [N] for
/// <see cref="TensorColumnKind.KeyIndex"/>. Owns its tensors.</summary>
public sealed class TensorBatch : IDisposable
{
    private readonly Dictionary<string, torch.Tensor> _tensors;

    /// <summary>Creates a batch that takes ownership of <paramref name="tensors"/>.</summary>
    /// <param name="tensors">One tensor per column, each with <paramref name="count"/> rows.</param>
    /// <param name="count">The number of rows.</param>
    public TensorBatch(IReadOnlyDictionary<string, torch.Tensor> tensors, long count)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _tensors = new Dictionary<string, torch.Tensor>(tensors, StringComparer.Ordinal);
        Count = count;
    }

    /// <summary>The tensor of <paramref name="column"/>.</summary>
    /// <exception cref="KeyNotFoundException">The batch has no such column.</exception>
    public torch.Tensor this[string column] => _tensors.TryGetValue(column, out var tensor)
        ? tensor
        : throw new KeyNotFoundException($"The batch has no column '{column}'; it has: {string.Join(", ", _tensors.Keys)}.");

    /// <summary>The column names in the batch.</summary>
    public IReadOnlyCollection<string> Columns => _tensors.Keys;

    /// <summary>The number of rows.</summary>
    public long Count { get; }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        foreach (var tensor in _tensors.Values)
            tensor.Dispose();
        _tensors.Clear();
    }
}
