using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Weights;

/// <summary>Copies named tensors into a module's state dict by name, checking shapes and reporting differences.</summary>
public static class WeightLoader
{
    private const string BatchCounterSuffix = ".num_batches_tracked";

    /// <summary>
    /// Loads <paramref name="weights"/> into <paramref name="module"/> (values converted to each entry's dtype and
    /// device). Strict mode throws <see cref="WeightLoadException"/> before copying anything when the names or shapes
    /// differ; non-strict mode copies what matches. Returns the report either way.
    /// </summary>
    public static WeightLoadReport LoadWeights(this nn.Module module, IReadOnlyDictionary<string, Tensor> weights,
        WeightLoadOptions? options = null, string source = "weights")
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(weights);
        options ??= new WeightLoadOptions();

        var file = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in weights)
        {
            if (options.SourcePrefix is null)
            {
                file[key] = value;
            }
            else if (key.StartsWith(options.SourcePrefix, StringComparison.Ordinal))
            {
                file[key[options.SourcePrefix.Length..]] = value;
            }
        }

        var target = module.state_dict();
        var loaded = new List<string>();
        var missing = new List<string>();
        var ignored = new List<string>();
        var mismatches = new List<WeightShapeMismatch>();
        foreach (var (key, tensor) in target)
        {
            if (!file.TryGetValue(key, out var value))
            {
                (options.IgnoreMissingBatchCounters && key.EndsWith(BatchCounterSuffix, StringComparison.Ordinal) ? ignored : missing).Add(key);
            }
            else if (!tensor.shape.SequenceEqual(value.shape))
            {
                mismatches.Add(new WeightShapeMismatch(key, tensor.shape, value.shape));
            }
            else
            {
                loaded.Add(key);
            }
        }

        var unexpected = file.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var report = new WeightLoadReport(source, loaded, missing, unexpected, mismatches, ignored);
        if (options.Strict && !report.IsExactMatch)
        {
            throw new WeightLoadException(report);
        }

        using (torch.no_grad())
        {
            foreach (var key in loaded)
            {
                using var scope = torch.NewDisposeScope();
                var destination = target[key];
                destination.copy_(file[key].to(destination.dtype, destination.device));
            }
        }

        return report;
    }

    /// <summary>Reads the weight file <paramref name="path"/> (see <see cref="WeightFile.Read"/>) and loads it.</summary>
    public static WeightLoadReport LoadWeights(this nn.Module module, string path, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var weights = WeightFile.Read(path);
        return module.LoadWeights(weights, options, path);
    }

    /// <summary>
    /// Saves the module's state dict: <c>.safetensors</c> (float tensors in float32 unless
    /// <paramref name="storeAs"/> says otherwise) or TorchSharp <c>.dat</c> (any other extension).
    /// </summary>
    public static void SaveWeights(this nn.Module module, string path, ScalarType? storeAs = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        var state = module.state_dict();
        if (WeightFile.FormatOf(path) == WeightFileFormat.SafeTensors)
        {
            SafeTensors.Save(path, state, metadata, storeAs ?? ScalarType.Float32);
        }
        else
        {
            TorchSharpStateDictFile.Save(path, state);
        }
    }
}
