using Xunit;

namespace MlNetExt.Core.Tests.Build;

/// <summary>
/// NativeRuntimes' checks where both runtimes are deployed (this test project references libtorch-cpu and ONNX Runtime
/// like an application would). The failing cases, which need an application without them, are covered by
/// MlNetExt.Packaging.Tests (PackagedConsumerTests).
/// </summary>
public class NativeRuntimesTests
{
    [Fact]
    public void Checks_pass_in_an_application_that_deploys_libtorch_and_onnxruntime()
    {
        Assert.Null(Record.Exception(NativeRuntimes.EnsureTorchSharp));
        Assert.Null(Record.Exception(NativeRuntimes.EnsureOnnxRuntime));
        // A second call is a cheap no-op, as trainers call them on every Fit.
        Assert.Null(Record.Exception(NativeRuntimes.EnsureTorchSharp));
    }
}
