using MlNetExt.Core.Onnx.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Core.Onnx;

/// <summary>
/// Writes TorchSharp modules into ONNX graphs (inference semantics: dropout is the identity, batch
/// normalization uses its running statistics).
/// </summary>
public static class OnnxModuleExporter
{
    /// <summary>
    /// Emits <paramref name="module"/> applied to the graph value <paramref name="input"/> and returns the name
    /// of its output value. Initializers are named <c>parameterPrefix + state_dict name</c>.
    /// </summary>
    /// <remarks>
    /// Built in: Sequential, Linear (any input rank), Identity, Dropout (all variants: the identity), Flatten(1, -1),
    /// ReLU, ReLU6, LeakyReLU, ELU, GELU (exact and tanh), SiLU, Tanh, Sigmoid, Hardsigmoid, Hardswish,
    /// Mish, Softplus (beta, threshold), Softmax,
    /// LogSoftmax, Conv1d/Conv2d/Conv3d (groups, stride, dilation, zero padding including Padding.Same/Valid),
    /// BatchNorm1d/2d/3d (eval: running statistics), LayerNorm, MaxPool2d and AvgPool2d (padding, dilation,
    /// ceil_mode; not divisor_override), AdaptiveAvgPool2d(1); and any module implementing
    /// <see cref="IOnnxExportable"/> (checked first).
    /// </remarks>
    /// <param name="graph">The graph being built.</param>
    /// <param name="module">The module to emit.</param>
    /// <param name="input">Name of the value the module is applied to.</param>
    /// <param name="parameterPrefix">Prefix of initializer names; also the module's path in error messages.</param>
    /// <returns>The name of the module's output value.</returns>
    /// <exception cref="NotSupportedException">The module (or one inside it) has no ONNX export; the message names its type and path.</exception>
    public static string Emit(OnnxGraphBuilder graph, nn.Module module, string input, string parameterPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        ArgumentNullException.ThrowIfNull(parameterPrefix);

        var site = new ExportSite(graph, parameterPrefix);
        return module switch
        {
            IOnnxExportable custom => custom.EmitOnnx(graph, input, parameterPrefix),
            Sequential sequential => EmitSequential(graph, sequential, input, parameterPrefix),
            Linear linear => LinearExport.Emit(site, linear, input),
            Identity => input,
            Dropout or Dropout1d or Dropout2d or Dropout3d or AlphaDropout or FeatureAlphaDropout => input,
            Flatten flatten => ShapeExport.EmitFlatten(site, flatten, input),
            ReLU => graph.AddNode("Relu", [input]),
            ReLU6 => ActivationExport.EmitRelu6(site, input),
            LeakyReLU leaky => graph.AddNode("LeakyRelu", [input], null, OnnxAttribute.Float("alpha", (float)leaky.negative_slope)),
            ELU elu => graph.AddNode("Elu", [input], null, OnnxAttribute.Float("alpha", (float)elu.alpha)),
            GELU gelu => ActivationExport.EmitGelu(site, gelu, input),
            SiLU => graph.AddNode("Mul", [input, graph.AddNode("Sigmoid", [input])]),
            Tanh => graph.AddNode("Tanh", [input]),
            Sigmoid => graph.AddNode("Sigmoid", [input]),
            Hardtanh hardtanh => throw site.Unsupported(hardtanh,
                "TorchSharp 0.107's Hardtanh does not clamp (it returns its input), so no export can match it; use ReLU6 or Hardsigmoid"),
            Hardsigmoid => graph.AddNode("HardSigmoid", [input], null, OnnxAttribute.Float("alpha", 1f / 6f), OnnxAttribute.Float("beta", 0.5f)),
            Hardswish => graph.AddNode("HardSwish", [input]),
            Mish => ActivationExport.EmitMish(site, input),
            Softplus softplus => ActivationExport.EmitSoftplus(site, softplus, input),
            Softmax softmax => graph.AddNode("Softmax", [input], null, OnnxAttribute.Int("axis", softmax.dim)),
            LogSoftmax logSoftmax => graph.AddNode("LogSoftmax", [input], null, OnnxAttribute.Int("axis", logSoftmax.dim)),
            Convolution convolution => ConvolutionExport.Emit(site, convolution, input),
            BatchNorm batchNorm => NormalizationExport.EmitBatchNorm(site, batchNorm, input),
            LayerNorm layerNorm => NormalizationExport.EmitLayerNorm(site, layerNorm, input),
            MaxPool2d maxPool => PoolingExport.EmitMaxPool(site, maxPool, input),
            AvgPool2d avgPool => PoolingExport.EmitAvgPool(site, avgPool, input),
            AdaptiveAvgPool2d adaptive => PoolingExport.EmitAdaptiveAvgPool(site, adaptive, input),
            _ => throw site.Unsupported(module, "this module type has no built-in ONNX export; implement IOnnxExportable on it"),
        };
    }

    /// <summary>
    /// Exports a whole model with one float input <c>[batch, ...inputShapeWithoutBatch]</c> (batch dynamic,
    /// named "batch") and one float output. The output shape is found by running the module once (eval mode,
    /// no_grad) on a zero input of batch 1; the module's train/eval mode is restored afterwards.
    /// </summary>
    /// <param name="module">A float32 module taking and returning one tensor.</param>
    /// <param name="inputShapeWithoutBatch">Input shape after the batch dimension, e.g. [3, 224, 224] or [featureCount].</param>
    /// <param name="inputName">Name of the graph input.</param>
    /// <param name="outputName">Name of the graph output.</param>
    /// <param name="metadata">Optional model metadata (metadata_props).</param>
    /// <returns>The ONNX model bytes.</returns>
    public static byte[] Export(nn.Module module, long[] inputShapeWithoutBatch, string inputName = "input",
        string outputName = "output", IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputShapeWithoutBatch);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputName);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputName);
        if (inputName == outputName)
            throw new ArgumentException("The input and output names must differ.", nameof(outputName));
        foreach (long d in inputShapeWithoutBatch)
        {
            if (d <= 0)
                throw new ArgumentException(
                    $"Input shape [{string.Join(", ", inputShapeWithoutBatch)}] must have positive sizes (the batch dimension is added for you).",
                    nameof(inputShapeWithoutBatch));
        }
        if (module is not nn.IModule<Tensor, Tensor> callable)
            throw new ArgumentException($"Export needs a module that maps one tensor to one tensor; {module.GetType().FullName} does not.", nameof(module));

        var graph = new OnnxGraphBuilder();
        string input = graph.AddInput(inputName, OnnxDataType.Float, [-1, .. inputShapeWithoutBatch]);
        graph.ReserveOutputName(outputName);
        string result = Emit(graph, module, input, "");
        graph.AddNode("Identity", [result], outputName);

        long[] outputShape = InferOutputShape(module, callable, inputShapeWithoutBatch);
        graph.AddOutput(outputName, OnnxDataType.Float, [-1, .. outputShape.Skip(1)]);

        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
                graph.AddMetadata(key, value);
        }
        return graph.ToBytes();
    }

    private static string EmitSequential(OnnxGraphBuilder graph, Sequential sequential, string input, string parameterPrefix)
    {
        string value = input;
        foreach (var (name, child) in sequential.named_children())
            value = Emit(graph, child, value, parameterPrefix + name + ".");
        return value;
    }

    private static long[] InferOutputShape(nn.Module module, nn.IModule<Tensor, Tensor> callable, long[] inputShapeWithoutBatch) =>
        EvalModeRun.Run(module, device =>
        {
            var probe = torch.zeros([1, .. inputShapeWithoutBatch], dtype: ScalarType.Float32, device: device);
            var output = callable.call(probe);
            if (output.dtype != ScalarType.Float32)
                throw new NotSupportedException($"The module returns {output.dtype}; Export writes float32 models only.");
            if (output.dim() == 0 || output.shape[0] != 1)
                throw new NotSupportedException(
                    $"The module's output shape [{string.Join(", ", output.shape)}] does not keep the batch dimension first.");
            return output.shape;
        });
}
