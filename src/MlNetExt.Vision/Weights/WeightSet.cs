using System.Collections;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Weights;

/// <summary>
/// Named CPU tensors read from a weight file (safetensors, TorchSharp <c>.dat</c>, ONNX initializers), in file
/// order, with the file's string metadata. Owns its tensors: dispose it when the weights have been copied.
/// </summary>
public sealed class WeightSet : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    /// <summary>Creates an empty set with the given metadata.</summary>
    public WeightSet(IReadOnlyDictionary<string, string>? metadata = null)
    {
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>String metadata stored with the weights (safetensors <c>__metadata__</c>; empty for other formats).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Number of tensors.</summary>
    public int Count => _tensors.Count;

    /// <summary>Tensor names in file order.</summary>
    public IEnumerable<string> Keys => _order;

    /// <summary>Tensors in file order.</summary>
    public IEnumerable<Tensor> Values => _order.Select(k => _tensors[k]);

    /// <summary>The tensor named <paramref name="key"/>.</summary>
    public Tensor this[string key] => _tensors[key];

    /// <summary>Adds a tensor (the set takes ownership); names must be unique.</summary>
    public void Add(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_tensors.TryAdd(name, tensor))
        {
            throw new InvalidDataException($"Tensor '{name}' appears twice in the weight file.");
        }

        _order.Add(name);
    }

    /// <summary>Whether a tensor named <paramref name="key"/> exists.</summary>
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <summary>Looks up a tensor by name.</summary>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) =>
        _tensors.TryGetValue(key, out value);

    /// <summary>Enumerates (name, tensor) pairs in file order.</summary>
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, Tensor>(k, _tensors[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        foreach (var t in _tensors.Values)
        {
            t.Dispose();
        }

        _tensors.Clear();
        _order.Clear();
    }
}
