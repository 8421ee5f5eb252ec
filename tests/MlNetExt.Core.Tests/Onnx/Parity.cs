using MlNetExt.Core.Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Onnx;

/// <summary>Export + ONNX Runtime vs TorchSharp comparison used by the export tests.</summary>
internal static class Parity
{
    public const double Tolerance = 1e-5;

    public static Tensor RandomInput(long[] shape, int seed, double scale = 1.0)
    {
        var generator = new torch.Generator((ulong)seed);
        return torch.randn(shape, generator: generator) * scale;
    }

    /// <summary>Exports the module and asserts max |torch - onnx| &lt;= 1e-5 x max |torch| for each batch size.</summary>
    public static byte[] AssertExportMatches(nn.Module module, long[] shapeWithoutBatch, params int[] batchSizes)
    {
        module.eval();
        byte[] onnx = OnnxModuleExporter.Export(module, shapeWithoutBatch);
        if (batchSizes.Length == 0)
            batchSizes = [5];
        foreach (int batch in batchSizes)
        {
            using var scope = torch.NewDisposeScope();
            var input = RandomInput([batch, .. shapeWithoutBatch], seed: 17 + batch, scale: 2.0);
            double error = OnnxParity.MaxRelativeError(module, onnx, input);
            Assert.True(error <= Tolerance, $"{module.GetType().Name} batch {batch}: relative error {error:E3} > {Tolerance:E0}");
        }
        return onnx;
    }
}
