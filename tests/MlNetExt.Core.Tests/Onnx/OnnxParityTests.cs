using MlNetExt.Core.Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Onnx;

public class OnnxParityTests
{
    [Fact]
    public void Parity_reports_a_large_error_for_a_different_model()
    {
        using var exported = nn.Linear(4, 3);
        using var other = nn.Linear(4, 3);
        byte[] onnx = OnnxModuleExporter.Export(exported, [4]);
        using var input = Parity.RandomInput([6, 4], seed: 3);

        Assert.True(OnnxParity.MaxRelativeError(exported, onnx, input) <= Parity.Tolerance);
        Assert.True(OnnxParity.MaxRelativeError(other, onnx, input) > 0.01);
    }

    [Fact]
    public void Export_and_parity_restore_the_training_mode()
    {
        using var net = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5));
        net.train();

        byte[] onnx = OnnxModuleExporter.Export(net, [3]);
        double error = OnnxParity.MaxRelativeError(net, onnx, Parity.RandomInput([4, 3], seed: 1));

        Assert.True(net.training);
        Assert.True(error <= Parity.Tolerance, $"error {error}");
    }

    [Fact]
    public void Parity_rejects_an_output_shape_mismatch()
    {
        using var wide = nn.Linear(4, 3);
        using var narrow = nn.Linear(4, 2);
        byte[] onnx = OnnxModuleExporter.Export(wide, [4]);

        var error = Assert.Throws<InvalidOperationException>(() => OnnxParity.MaxRelativeError(narrow, onnx, Parity.RandomInput([2, 4], seed: 2)));
        Assert.Contains("[2, 2]", error.Message);
        Assert.Contains("[2, 3]", error.Message);
    }
}
