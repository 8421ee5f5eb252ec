using MlNetExt.Core.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// Exports a backbone (or a <see cref="ClassifierNetwork"/>, or any module built from them) to ONNX, optionally
/// folding BatchNorm into the preceding convolutions. Without folding this is
/// <see cref="OnnxModuleExporter.Export"/>.
/// </summary>
public static class BackboneOnnxExport
{
    /// <summary>
    /// Exports <paramref name="network"/> with one float input <c>[batch, ...inputShapeWithoutBatch]</c> (batch
    /// dynamic) and one float output.
    /// </summary>
    public static byte[] Export(nn.Module<Tensor, Tensor> network, long[] inputShapeWithoutBatch, BackboneOnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputShapeWithoutBatch);
        options ??= new BackboneOnnxExportOptions();
        if (!options.FoldBatchNorm)
        {
            return OnnxModuleExporter.Export(network, inputShapeWithoutBatch, options.InputName, options.OutputName, options.Metadata);
        }

        if (inputShapeWithoutBatch.Any(d => d <= 0))
        {
            throw new ArgumentException($"Input shape [{string.Join(", ", inputShapeWithoutBatch)}] must have positive sizes (without the batch dimension).",
                nameof(inputShapeWithoutBatch));
        }

        var graph = new OnnxGraphBuilder();
        BatchNormFoldingScope.Enable(graph);
        string input = graph.AddInput(options.InputName, OnnxDataType.Float, [-1, .. inputShapeWithoutBatch]);
        string result = OnnxModuleExporter.Emit(graph, network, input);
        graph.AddNode("Identity", [result], options.OutputName);
        graph.AddOutput(options.OutputName, OnnxDataType.Float, [-1, .. OutputShape(network, inputShapeWithoutBatch).Skip(1)]);
        if (options.Metadata is not null)
        {
            foreach (var (key, value) in options.Metadata)
            {
                graph.AddMetadata(key, value);
            }
        }

        return graph.ToBytes();
    }

    private static long[] OutputShape(nn.Module<Tensor, Tensor> network, long[] inputShapeWithoutBatch)
    {
        bool training = network.training;
        try
        {
            network.eval();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var device = network.parameters().FirstOrDefault()?.device ?? torch.CPU;
            return network.call(torch.zeros([1, .. inputShapeWithoutBatch], device: device)).shape;
        }
        finally
        {
            network.train(training);
        }
    }
}
