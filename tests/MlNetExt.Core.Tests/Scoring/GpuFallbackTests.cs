using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetExt.Core.Tests.Models;
using MlNetExt.Core.Training;
using Xunit;

namespace MlNetExt.Core.Tests.Scoring;

/// <summary>
/// MLContext.GpuDeviceId with the CPU build of ONNX Runtime (this project references Microsoft.ML.OnnxRuntime): the
/// fallback scores as the CPU does and says once why; without the fallback the error names the missing GPU runtime.
/// The GPU build is tested in MlNetExt.Gpu.Tests.
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

    private static float[][] Scores(ITransformer model, IDataView data)
        => model.Transform(data).GetColumn<VBuffer<float>>("Output").Select(v => v.DenseValues().ToArray()).ToArray();

    [Fact]
    public void With_FallbackToCpu_a_model_scores_as_on_the_CPU_and_the_log_says_once_that_the_runtime_is_the_CPU_build()
    {
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

        Assert.Equal(expected, batched);
        Assert.Equal(expected, rowByRow);
        Assert.Equal(expected, loaded);
        string line = Assert.Single(warnings);
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("GPU 0 not used, scoring on the CPU (MLContext.FallbackToCpu is true): ", line);
        Assert.Contains("CPU build (package Microsoft.ML.OnnxRuntime)", line);
        Assert.Contains("reference Microsoft.ML.OnnxRuntime.Gpu", line);
    }

    [Fact]
    public void Without_FallbackToCpu_fitting_and_loading_fail_naming_the_missing_GPU_runtime()
    {
        var cpu = new MLContext(1);
        var data = Data(cpu);
        string path = Path.Combine(_folder, "scale.zip");
        cpu.DeepLearning().Model.Save(ScaleModel.Create(cpu, data.Schema, 2, 1.5f, TrainingHistory.Empty), data.Schema, path);
        var gpu = new MLContext(1) { GpuDeviceId = 0, FallbackToCpu = false };

        var create = Assert.Throws<InvalidOperationException>(() => ScaleModel.Create(gpu, data.Schema, 2, 1.5f, TrainingHistory.Empty));
        var load = Assert.Throws<InvalidOperationException>(() => gpu.DeepLearning().Model.Load(path, out _));

        foreach (var e in new[] { create, load })
        {
            Assert.StartsWith("MLContext.GpuDeviceId is 0 but MlNetExt cannot score on that GPU: the ONNX Runtime native library in this "
                + "application is the CPU build", e.Message);
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
