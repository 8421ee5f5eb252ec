using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Runtime;
using MlNetExt.Core.Onnx;

namespace MlNetExt.Core.Pipelines;

/// <summary>
/// Where MlNetExt's ONNX Runtime sessions run for an <see cref="MLContext"/>: on the CPU when
/// <see cref="MLContext.GpuDeviceId"/> is null, else on that GPU through the CUDA execution provider when it can be created.
/// When it cannot, <see cref="MLContext.FallbackToCpu"/> decides: true scores on the CPU and writes one warning to
/// <see cref="MLContext.Log"/> naming what is missing (once per context and device id); false throws an
/// <see cref="InvalidOperationException"/> with the same explanation. ML.NET's own ApplyOnnxModel falls back silently or
/// fails with ONNX Runtime's loader text.
/// </summary>
internal static class OnnxExecutionDevice
{
    /// <summary>The component name of the log messages.</summary>
    public const string ComponentName = "MlNetExt.Scoring";

    // Per context (weakly held, so a context's entry goes with it): the outcome of trying each device id, and whether the
    // fallback was reported.
    private static readonly ConditionalWeakTable<MLContext, ContextDevices> PerContext = new();

    /// <summary>
    /// The GPU device id MlNetExt sessions of <paramref name="context"/> use, or null for the CPU (no GPU requested, or the
    /// GPU is unavailable and <see cref="MLContext.FallbackToCpu"/> is true).
    /// </summary>
    /// <exception cref="InvalidOperationException">A GPU was requested, it cannot be used, and FallbackToCpu is false; the
    /// message names what is missing.</exception>
    public static int? Resolve(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GpuDeviceId is not int deviceId)
            return null;
        var devices = PerContext.GetValue(context, _ => new ContextDevices());
        var probe = devices.Probes.GetOrAdd(deviceId, id => new Lazy<Probe>(() => Probe.Run(id))).Value;
        if (probe.Problem is null)
            return deviceId;
        if (!context.FallbackToCpu)
        {
            throw new InvalidOperationException(
                $"MLContext.GpuDeviceId is {deviceId} but MlNetExt cannot score on that GPU: {probe.Problem} "
                + "Set MLContext.FallbackToCpu = true to score on the CPU instead, or set GpuDeviceId to null.", probe.Failure);
        }
        if (devices.Reported.TryAdd(deviceId, 0))
        {
            var host = ((IHostEnvironment)context).Register(ComponentName, seed: 0);
            using var channel = host.Start("GPU");
            channel.Warning(MessageSensitivity.None,
                $"GPU {deviceId} not used, scoring on the CPU (MLContext.FallbackToCpu is true): {probe.Problem}");
        }
        return null;
    }

    /// <summary>
    /// Runs <paramref name="action"/> (an ML.NET call that creates ONNX transformers: ApplyOnnxModel's Fit, Model.Load) so
    /// that those transformers use <paramref name="deviceId"/> from <see cref="Resolve"/>: when the GPU was resolved away,
    /// the context's <see cref="MLContext.GpuDeviceId"/> is null during the call. ML.NET reads the context's GPU id itself and
    /// its fallback catches only ONNX Runtime's own exception, so with the CPU build of ONNX Runtime (no CUDA entry point)
    /// it would fail even with FallbackToCpu.
    /// </summary>
    public static T WithDevice<T>(MLContext context, int? deviceId, Func<T> action)
    {
        int? requested = context.GpuDeviceId;
        if (requested is null || deviceId is not null)
            return action();
        context.GpuDeviceId = null;
        try
        {
            return action();
        }
        finally
        {
            context.GpuDeviceId = requested;
        }
    }

    /// <summary>Session options for <paramref name="deviceId"/> (null: the CPU).</summary>
    public static SessionOptions CreateSessionOptions(int? deviceId)
        => deviceId is int id ? SessionOptions.MakeSessionOptionWithCudaProvider(id) : new SessionOptions();

    /// <summary>An ONNX Runtime session over <paramref name="onnxModel"/> on the device <see cref="Resolve"/> gives.</summary>
    public static InferenceSession CreateSession(MLContext context, byte[] onnxModel)
    {
        NativeRuntimes.EnsureOnnxRuntime();
        int? device = Resolve(context);
        using var options = CreateSessionOptions(device);
        return new InferenceSession(onnxModel, options);
    }

    private sealed class ContextDevices
    {
        public ConcurrentDictionary<int, Lazy<Probe>> Probes { get; } = new();

        public ConcurrentDictionary<int, byte> Reported { get; } = new();
    }

    /// <summary>The outcome of creating a CUDA session for a tiny model on one device.</summary>
    private sealed record Probe(string? Problem, Exception? Failure)
    {
        public static Probe Run(int deviceId)
        {
            if (deviceId < 0)
                return new Probe(CudaDiagnosis.Describe(deviceId, null), null);
            NativeRuntimes.EnsureOnnxRuntime();
            try
            {
                using var options = SessionOptions.MakeSessionOptionWithCudaProvider(deviceId);
                using var session = new InferenceSession(TinyModel(), options);
                return new Probe(null, null);
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                return new Probe(CudaDiagnosis.Describe(deviceId, e), e);
            }
        }

        private static byte[] TinyModel()
        {
            var graph = new OnnxGraphBuilder("mlnetext_gpu_probe");
            string x = graph.AddInput("x", OnnxDataType.Float, -1, 1);
            graph.AddNode("Relu", [x], "y");
            graph.AddOutput("y", OnnxDataType.Float, -1, 1);
            return graph.ToBytes();
        }
    }
}
