using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Core.Onnx;

/// <summary>Checks an exported model against the TorchSharp module it came from.</summary>
public static class OnnxParity
{
    /// <summary>
    /// Runs <paramref name="module"/> (eval mode, no_grad; its train/eval mode is restored afterwards) and
    /// <paramref name="onnxModel"/> in ONNX Runtime (CPU) on the same float32 input and returns
    /// max |torch - onnx| / max |torch| over all output elements (the plain max |torch - onnx| when the
    /// torch output is all zeros). The ONNX model's first output is compared.
    /// </summary>
    /// <param name="module">A module mapping one tensor to one tensor.</param>
    /// <param name="onnxModel">The exported model.</param>
    /// <param name="input">A float32 input, batch dimension included.</param>
    /// <param name="inputName">The ONNX model's input name.</param>
    /// <returns>The maximum relative error.</returns>
    /// <exception cref="InvalidOperationException">The two outputs have different shapes.</exception>
    public static double MaxRelativeError(nn.Module module, byte[] onnxModel, Tensor input, string inputName = "input")
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputName);
        if (module is not nn.IModule<Tensor, Tensor> callable)
            throw new ArgumentException($"{module.GetType().FullName} does not map one tensor to one tensor.", nameof(module));
        if (input.dtype != ScalarType.Float32)
            throw new ArgumentException($"The input must be float32, found {input.dtype}.", nameof(input));

        var (torchValues, torchShape) = RunTorch(module, callable, input);
        var (onnxValues, onnxShape) = RunOnnx(onnxModel, input, inputName);

        if (!torchShape.SequenceEqual(onnxShape))
            throw new InvalidOperationException(
                $"TorchSharp output shape [{string.Join(", ", torchShape)}] differs from ONNX output shape [{string.Join(", ", onnxShape)}].");

        double maxDiff = 0, maxAbs = 0;
        for (int i = 0; i < torchValues.Length; i++)
        {
            double t = torchValues[i], o = onnxValues[i];
            double diff = Math.Abs(t - o);
            if (double.IsNaN(diff) && !(double.IsNaN(t) && double.IsNaN(o)))
                return double.PositiveInfinity;
            if (!double.IsNaN(diff))
                maxDiff = Math.Max(maxDiff, diff);
            if (!double.IsNaN(t))
                maxAbs = Math.Max(maxAbs, Math.Abs(t));
        }
        return maxAbs > 0 ? maxDiff / maxAbs : maxDiff;
    }

    private static (float[] Values, long[] Shape) RunTorch(nn.Module module, nn.IModule<Tensor, Tensor> callable, Tensor input)
    {
        return EvalModeRun.Run(module, device =>
        {
            var output = callable.call(input.to(device)).to(ScalarType.Float32).cpu().contiguous();
            return (output.data<float>().ToArray(), output.shape);
        });
    }

    private static (float[] Values, long[] Shape) RunOnnx(byte[] onnxModel, Tensor input, string inputName)
    {
        float[] inputValues;
        long[] inputShape;
        using (var scope = torch.NewDisposeScope())
        {
            var cpu = input.detach().cpu().contiguous();
            inputValues = cpu.data<float>().ToArray();
            inputShape = cpu.shape;
        }

        NativeRuntimes.EnsureOnnxRuntime();
        using var session = new InferenceSession(onnxModel);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(inputValues, inputShape);
        string outputName = session.OutputMetadata.Keys.First();
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [inputValue], [outputName]);
        var output = outputs[0];
        return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }
}
