using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Onnx;

public class ConvolutionExportTests
{
    [Fact]
    public void Depthwise_conv2d_with_stride_padding_and_dilation_matches()
    {
        using var conv = nn.Conv2d(6, 6, kernel_size: 3, stride: 2, padding: 2, dilation: 2, groups: 6);
        Parity.AssertExportMatches(conv, [6, 13, 11], 1, 3);
    }

    [Fact]
    public void Grouped_conv2d_with_rectangular_kernel_and_no_bias_matches()
    {
        using var conv = nn.Conv2d(4, 8, kernel_size: (3, 1), stride: (1, 2), padding: (1, 0), groups: 2, bias: false);
        Parity.AssertExportMatches(conv, [4, 9, 10], 2);
    }

    [Fact]
    public void Conv2d_with_same_padding_and_even_kernel_matches()
    {
        using var conv = nn.Conv2d(3, 4, kernel_size: 4, padding: Padding.Same, dilation: 3);
        Parity.AssertExportMatches(conv, [3, 10, 9], 2);
    }

    [Fact]
    public void Conv2d_with_valid_padding_matches()
    {
        using var conv = nn.Conv2d(3, 4, kernel_size: 3, padding: Padding.Valid);
        Parity.AssertExportMatches(conv, [3, 7, 7], 2);
    }

    [Fact]
    public void Dilated_strided_conv1d_matches()
    {
        using var conv = nn.Conv1d(4, 6, kernel_size: 3, stride: 2, padding: 3, dilation: 3, groups: 2);
        Parity.AssertExportMatches(conv, [4, 25], 1, 3);
    }

    [Fact]
    public void Small_cnn_with_batchnorm_pooling_and_head_matches()
    {
        using var cnn = nn.Sequential(
            ("conv", nn.Conv2d(3, 8, 3, padding: 1)), ("bn", nn.BatchNorm2d(8)), ("act", nn.ReLU6()),
            ("pool", nn.MaxPool2d(2)), ("dw", nn.Conv2d(8, 8, 3, padding: 1, groups: 8)), ("act2", nn.SiLU()),
            ("gap", nn.AdaptiveAvgPool2d(1)), ("flat", nn.Flatten()), ("drop", nn.Dropout(0.2)), ("fc", nn.Linear(8, 4)),
            ("softmax", nn.Softmax(1)));
        BatchNormExportTests.GiveRunningStatistics(cnn, [3, 16, 16]);
        Parity.AssertExportMatches(cnn, [3, 16, 16], 1, 6);
    }

    [Fact]
    public void Reflect_padding_mode_is_reported_as_unsupported()
    {
        using var net = nn.Sequential(("stem", nn.Conv2d(3, 4, 3, padding: 1, padding_mode: PaddingModes.Reflect)));

        var error = Assert.Throws<NotSupportedException>(() => MlNetExt.Core.Onnx.OnnxModuleExporter.Export(net, [3, 8, 8]));
        Assert.Contains("'stem'", error.Message);
        Assert.Contains("Reflect", error.Message);
    }
}
