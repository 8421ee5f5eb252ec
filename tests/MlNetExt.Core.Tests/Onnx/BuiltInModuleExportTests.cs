using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Onnx;

public class BuiltInModuleExportTests
{
    /// <summary>Every built-in module, by name, with an input shape (batch excluded).</summary>
    private static (Func<nn.Module> Create, long[] Shape) Case(string name) => name switch
    {
        "Linear" => (() => nn.Linear(6, 4), [6]),
        "LinearNoBias" => (() => nn.Linear(6, 4, hasBias: false), [6]),
        "LinearOnSequence" => (() => nn.Linear(6, 4), [3, 6]),
        "Identity" => (() => nn.Sequential(nn.Linear(3, 3), nn.Identity()), [3]),
        "Dropout" => (() => nn.Sequential(nn.Linear(5, 5), nn.Dropout(0.5)), [5]),
        "Dropout2d" => (() => nn.Sequential(nn.Conv2d(2, 2, 1), nn.Dropout2d(0.5)), [2, 4, 4]),
        "Flatten" => (() => nn.Flatten(), [2, 3, 4]),
        "ReLU" => (() => nn.ReLU(), [7]),
        "ReLU6" => (() => nn.Sequential(nn.Linear(4, 8), nn.ReLU6()), [4]),
        "LeakyReLU" => (() => nn.LeakyReLU(0.2), [7]),
        "ELU" => (() => nn.ELU(0.7), [7]),
        "GELU" => (() => nn.GELU(), [7]),
        "GELUTanh" => (() => nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh), [7]),
        "SiLU" => (() => nn.SiLU(), [7]),
        "Tanh" => (() => nn.Tanh(), [7]),
        "Sigmoid" => (() => nn.Sigmoid(), [7]),
        "Hardsigmoid" => (() => nn.Hardsigmoid(), [7]),
        "Hardswish" => (() => nn.Hardswish(), [7]),
        "Mish" => (() => nn.Mish(), [7]),
        "Softplus" => (() => nn.Softplus(), [7]),
        "SoftplusBeta" => (() => nn.Softplus(beta: 2.5, threshold: 3), [7]),
        "Softmax" => (() => nn.Softmax(1), [7]),
        "LogSoftmax" => (() => nn.LogSoftmax(-1), [7]),
        "Conv1d" => (() => nn.Conv1d(3, 4, 3, stride: 2, padding: 1), [3, 11]),
        "Conv2d" => (() => nn.Conv2d(3, 5, 3), [3, 8, 8]),
        "Conv3d" => (() => nn.Conv3d(2, 3, 3, stride: 2, padding: 1), [2, 5, 6, 7]),
        "BatchNorm3d" => (() => nn.BatchNorm3d(2), [2, 3, 4, 5]),
        "BatchNorm1d" => (() => nn.BatchNorm1d(6), [6]),
        "BatchNorm2d" => (() => nn.BatchNorm2d(3), [3, 5, 5]),
        "LayerNorm" => (() => nn.LayerNorm(6), [6]),
        "LayerNorm2dShape" => (() => nn.LayerNorm([4, 5]), [3, 4, 5]),
        "MaxPool2d" => (() => nn.MaxPool2d(2), [3, 8, 8]),
        "AvgPool2d" => (() => nn.AvgPool2d(2), [3, 8, 8]),
        "AdaptiveAvgPool2d" => (() => nn.AdaptiveAvgPool2d(1), [3, 6, 5]),
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<string> ModuleNames() => new(
        "Linear", "LinearNoBias", "LinearOnSequence", "Identity", "Dropout", "Dropout2d", "Flatten", "ReLU", "ReLU6", "LeakyReLU", "ELU",
        "GELU", "GELUTanh", "SiLU", "Tanh", "Sigmoid", "Hardsigmoid", "Hardswish", "Mish", "Softplus", "SoftplusBeta", "Softmax", "LogSoftmax", "Conv1d",
        "Conv2d", "Conv3d", "BatchNorm1d", "BatchNorm3d", "BatchNorm2d", "LayerNorm", "LayerNorm2dShape", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d");

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Built_in_module_export_matches_TorchSharp_in_OnnxRuntime(string name)
    {
        var (create, shape) = Case(name);
        using var module = create();
        Parity.AssertExportMatches(module, shape, 1, 4);
    }

    [Fact]
    public void Hardtanh_is_refused_because_TorchSharp_does_not_clamp()
    {
        using var hardtanh = nn.Hardtanh(-0.5, 2.0);
        using var input = torch.tensor(new float[] { -3f, 3f });

        // If TorchSharp ever fixes Hardtanh, this fails and Hardtanh can get an export (Clip).
        Assert.Equal([-3f, 3f], hardtanh.call(input).data<float>().ToArray());
        var error = Assert.Throws<NotSupportedException>(() => MlNetExt.Core.Onnx.OnnxModuleExporter.Export(hardtanh, [2]));
        Assert.Contains("Hardtanh", error.Message);
    }

    [Fact]
    public void Mlp_with_dynamic_batch_matches_for_batch_1_and_7()
    {
        using var mlp = nn.Sequential(
            ("0", nn.Linear(10, 32)), ("1", nn.ReLU()), ("2", nn.Dropout(0.1)),
            ("3", nn.Linear(32, 16)), ("4", nn.GELU()), ("5", nn.Linear(16, 3)));
        Parity.AssertExportMatches(mlp, [10], 1, 7);
    }
}
