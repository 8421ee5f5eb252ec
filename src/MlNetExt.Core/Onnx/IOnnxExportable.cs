namespace MlNetExt.Core.Onnx;

/// <summary>
/// Implemented by custom TorchSharp modules (residual blocks, heads, ...) that know how to write
/// themselves into an ONNX graph. <see cref="OnnxModuleExporter.Emit"/> calls it before looking at the
/// built-in module list, so a module that implements it always wins.
/// </summary>
public interface IOnnxExportable
{
    /// <summary>
    /// Emits this module applied to the graph value <paramref name="input"/> and returns the name of the
    /// value that holds the module's output.
    /// </summary>
    /// <param name="graph">The graph being built.</param>
    /// <param name="input">Name of the value the module is applied to.</param>
    /// <param name="parameterPrefix">
    /// Prefix for initializer names: an initializer is named <c>parameterPrefix + state_dict name</c>
    /// (for example <c>"layer1.0." + "conv1.weight"</c>); child modules are emitted with
    /// <c>OnnxModuleExporter.Emit(graph, child, value, parameterPrefix + "childName.")</c>.
    /// </param>
    /// <returns>The name of the output value.</returns>
    string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix);
}
