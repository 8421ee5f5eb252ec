using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit;

namespace MlNetExt.Core.Tests.Build;

/// <summary>The build's native fix-ups: TorchSharp's libtorch bridge and ONNX Runtime both load.</summary>
public class NativeLibrariesLoadTests
{
    [Fact]
    public void TorchSharp_loads_and_computes_on_cpu()
    {
        using var t = torch.arange(1, 5, dtype: torch.float32);
        Assert.Equal(10f, t.sum().item<float>());
    }

    [Fact]
    public void OnnxRuntime_lists_the_cpu_execution_provider()
    {
        Assert.Contains("CPUExecutionProvider", OrtEnv.Instance().GetAvailableProviders());
    }
}
