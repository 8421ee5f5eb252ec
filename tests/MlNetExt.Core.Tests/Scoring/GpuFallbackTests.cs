using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Tests.Models;
using MlNetExt.Core.Training;
using Xunit;

namespace MlNetExt.Core.Tests.Scoring;

/// <summary>
/// MLContext.GpuDeviceId on a machine where the GPU cannot be used: the fallback scores as the CPU does and says once why;
/// without the fallback the error names what is missing. With the CPU build of ONNX Runtime (the default) that is the GPU
/// runtime package; with the GPU build (<c>dotnet test -p:UseGpu=true</c>) on a machine without NVIDIA's driver it is the
/// driver library. On a machine where GPU 0 works these tests check that it scores as the CPU does instead.
/// </summary>
public sealed class GpuFallbackTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-gpu-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class Row
    {
        [VectorType(2)] public float[] Features { get; set; } = [];
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(Enumerable.Range(0, 50)
        .Select(i => new Row { Features = [i * 0.25f, -i] }).ToArray());

    /// <summary>What the explanation must name on this machine, or null when GPU 0 is usable here.</summary>
    private static string? ExpectedReason()
    {
        if (!CudaDiagnosis.HasCudaProvider())
            return "the ONNX Runtime native library in this application is the CPU build (package Microsoft.ML.OnnxRuntime)";
        if (!System.Runtime.InteropServices.NativeLibrary.TryLoad(OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1", out var driver))
            return $"the NVIDIA driver library {(OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1")} was not found";
        System.Runtime.InteropServices.NativeLibrary.Free(driver);
        return OnnxExecutionDevice.Resolve(new MLContext(1) { GpuDeviceId = 0, FallbackToCpu = true }) is null ? "" : null;
    }

    private static float[][] Scores(ITransformer model, IDataView data)
        => model.Transform(data).GetColumn<VBuffer<float>>("Output").Select(v => v.DenseValues().ToArray()).ToArray();

    [Fact]
    public void With_FallbackToCpu_a_model_scores_as_on_the_CPU_and_the_log_says_once_why_the_GPU_was_not_used()
    {
        string? reason = ExpectedReason();
        var cpu = new MLContext(1);
        var gpu = new MLContext(1) { GpuDeviceId = 0, FallbackToCpu = true };
        var warnings = new List<string>();
        gpu.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning) lock (warnings) warnings.Add(e.RawMessage); };
        var data = Data(cpu);

        var expected = Scores(ScaleModel.Create(cpu, data.Schema, 2, 1.5f, TrainingHistory.Empty), data);
        var model = ScaleModel.Create(gpu, data.Schema, 2, 1.5f, TrainingHistory.Empty);
        var batched = Scores(model, data);
        var rowByRow = Scores(model.Model, data);
        string path = Path.Combine(_folder, "scale.zip");
        gpu.DeepLearning().Model.Save(model, data.Schema, path);
        var loaded = Scores(gpu.DeepLearning().Model.Load(path, out _), data);

        if (reason is null)
        {
            // GPU 0 works here: it scores as the CPU does, within rounding, and nothing is reported.
            foreach (var scores in new[] { batched, rowByRow, loaded })
                Assert.All(expected.Zip(scores).SelectMany(p => p.First.Zip(p.Second)), p => Assert.Equal(p.First, p.Second, 1e-4 * Math.Max(1, Math.Abs(p.First))));
            Assert.Empty(warnings);
            return;
        }
        Assert.Equal(expected, batched);
        Assert.Equal(expected, rowByRow);
        Assert.Equal(expected, loaded);
        string line = Assert.Single(warnings);
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("GPU 0 not used, scoring on the CPU (MLContext.FallbackToCpu is true): " + reason, line);
        if (!CudaDiagnosis.HasCudaProvider())
            Assert.Contains("reference Microsoft.ML.OnnxRuntime.Gpu", line);
    }

    [Fact]
    public void Without_FallbackToCpu_fitting_and_loading_fail_naming_what_is_missing()
    {
        string? reason = ExpectedReason();
        var cpu = new MLContext(1);
        var data = Data(cpu);
        string path = Path.Combine(_folder, "scale.zip");
        cpu.DeepLearning().Model.Save(ScaleModel.Create(cpu, data.Schema, 2, 1.5f, TrainingHistory.Empty), data.Schema, path);
        var gpu = new MLContext(1) { GpuDeviceId = 0, FallbackToCpu = false };
        if (reason is null)
        {
            // GPU 0 works here: nothing fails.
            Assert.NotNull(ScaleModel.Create(gpu, data.Schema, 2, 1.5f, TrainingHistory.Empty));
            Assert.NotNull(gpu.DeepLearning().Model.Load(path, out _));
            return;
        }

        var create = Assert.Throws<InvalidOperationException>(() => ScaleModel.Create(gpu, data.Schema, 2, 1.5f, TrainingHistory.Empty));
        var load = Assert.Throws<InvalidOperationException>(() => gpu.DeepLearning().Model.Load(path, out _));

        foreach (var e in new[] { create, load })
        {
            Assert.StartsWith("MLContext.GpuDeviceId is 0 but MlNetExt cannot score on that GPU: " + reason, e.Message);
            Assert.Contains("Set MLContext.FallbackToCpu = true", e.Message);
        }
    }

    [Fact]
    public void A_negative_device_id_is_named_as_invalid()
    {
        var ml = new MLContext(1) { GpuDeviceId = -1, FallbackToCpu = false };

        var e = Assert.Throws<InvalidOperationException>(() => ScaleModel.Create(ml, Data(ml).Schema, 2, 1f, TrainingHistory.Empty));

        Assert.Contains("GPU device id -1 is not valid", e.Message);
    }
}
