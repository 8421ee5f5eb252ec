using MlNetExt.Core.Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Onnx;

public class PoolingExportTests
{
    [Fact]
    public void MaxPool2d_with_stride_padding_and_dilation_matches()
    {
        using var pool = nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1, dilation: 2);
        Parity.AssertExportMatches(pool, [2, 11, 12], 1, 2);
    }

    [Fact]
    public void MaxPool2d_with_ceil_mode_matches()
    {
        using var pool = nn.MaxPool2d(kernel_size: 3, stride: 2, ceil_mode: true);
        Parity.AssertExportMatches(pool, [2, 10, 9], 2);
    }

    [Fact]
    public void AvgPool2d_with_padding_counting_pad_matches()
    {
        using var pool = nn.AvgPool2d(kernel_size: 3, stride: 2, padding: 1);
        Parity.AssertExportMatches(pool, [3, 9, 10], 2);
    }

    [Fact]
    public void AvgPool2d_with_padding_not_counting_pad_matches()
    {
        using var pool = nn.AvgPool2d(kernel_size: (2, 3), stride: (2, 1), padding: (1, 1), count_include_pad: false);
        Parity.AssertExportMatches(pool, [3, 9, 10], 2);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    public void AvgPool2d_with_ceil_mode_matches(bool countIncludePad, long padding)
    {
        using var pool = nn.AvgPool2d(kernel_size: 3, stride: 2, padding: padding, ceil_mode: true, count_include_pad: countIncludePad);
        Parity.AssertExportMatches(pool, [2, 10, 9], 2);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ceil_mode_drops_a_last_window_that_starts_in_the_padding_like_PyTorch(bool max)
    {
        // 5 wide, kernel 2, stride 2, padding 1: ceil gives 4 windows, but the 4th would start in the right padding.
        using nn.Module pool = max
            ? nn.MaxPool2d(kernel_size: 2, stride: 2, padding: 1, ceil_mode: true)
            : nn.AvgPool2d(kernel_size: 2, stride: 2, padding: 1, ceil_mode: true);
        Parity.AssertExportMatches(pool, [1, 5, 5], 2);
    }

    [Fact]
    public void Global_average_pool_matches_on_non_square_input()
    {
        using var net = nn.Sequential(nn.Conv2d(2, 3, 3), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten());
        Parity.AssertExportMatches(net, [2, 9, 13], 1, 4);
    }

    [Fact]
    public void AdaptiveAvgPool2d_to_2x2_is_reported_as_unsupported()
    {
        using var net = nn.Sequential(("features", nn.Sequential(("0", nn.Conv2d(2, 3, 3)), ("1", nn.AdaptiveAvgPool2d(2)))));

        var error = Assert.Throws<NotSupportedException>(() => OnnxModuleExporter.Export(net, [2, 8, 8]));
        Assert.Contains("'features.1'", error.Message);
        Assert.Contains("AdaptiveAvgPool2d", error.Message);
        Assert.Contains("1x1", error.Message);
    }
}
