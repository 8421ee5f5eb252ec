using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Core.Onnx;

/// <summary>
/// Copies an exported model's weights back into a TorchSharp module: every state_dict entry of the module is read from
/// the ONNX initializer named <c>prefix + state_dict name</c> (how <see cref="OnnxModuleExporter"/> names them). What
/// continue-training and "exported model as backbone" rebuild a network with.
/// </summary>
internal static class OnnxWeights
{
    /// <summary>Copies the initializers into <paramref name="module"/>'s parameters and buffers, in place.</summary>
    /// <param name="module">A module with the exported network's architecture.</param>
    /// <param name="onnx">The exported model.</param>
    /// <param name="prefix">The initializer prefix the module was exported with.</param>
    /// <param name="optional">state_dict entries that may be absent from the model (they keep their values).</param>
    /// <exception cref="InvalidDataException">An entry is missing or has another shape; the message names it.</exception>
    public static void LoadInto(nn.Module module, OnnxModelReader onnx, string prefix = "", Func<string, bool>? optional = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(prefix);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, target) in module.state_dict())
        {
            var source = onnx.ReadInitializer(prefix + name);
            if (source is null)
            {
                if (optional?.Invoke(name) == true)
                    continue;
                throw new InvalidDataException(
                    $"The ONNX model has no initializer '{prefix + name}' for the network's weight '{name}'; it was not exported from this architecture.");
            }
            if (!source.shape.SequenceEqual(target.shape))
                throw new InvalidDataException(
                    $"The ONNX initializer '{prefix + name}' has shape [{string.Join(", ", source.shape)}]; the network's weight '{name}' "
                    + $"has shape [{string.Join(", ", target.shape)}].");
            target.copy_(source.to(target.dtype).to(target.device));
        }
    }
}
