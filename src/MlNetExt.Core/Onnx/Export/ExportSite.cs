using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Core.Onnx.Export;

/// <summary>Where a module is being emitted: the graph, its initializer prefix and its path for messages.</summary>
internal readonly record struct ExportSite(OnnxGraphBuilder Graph, string Prefix)
{
    /// <summary>The module's path in the module tree ("layer1.0.conv1"), or "(root)".</summary>
    public string Path => Prefix.Length == 0 ? "(root)" : Prefix.TrimEnd('.');

    /// <summary>Adds a parameter or buffer as an initializer named prefix + state_dict name.</summary>
    public string Initializer(string stateDictName, Tensor tensor) => Graph.AddInitializer(Prefix + stateDictName, tensor);

    /// <summary>A scalar float constant.</summary>
    public string Scalar(string hint, float value) => Graph.AddConstant(Prefix + hint, [value]);

    /// <summary>The exception for a module (or one of its settings) the exporter cannot write.</summary>
    public NotSupportedException Unsupported(nn.Module module, string reason)
        => new($"Cannot export module '{Path}' of type {module.GetType().FullName} to ONNX: {reason}.");
}
