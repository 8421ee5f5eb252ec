using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace MlNetExt.Core.Pipelines;

/// <summary>
/// Says why ONNX Runtime's CUDA execution provider cannot run on this machine, naming what is missing: the GPU build of
/// ONNX Runtime, the NVIDIA driver (libcuda), a CUDA or cuDNN library, or the device. ONNX Runtime's own message for all of
/// these is a loader error about its provider library; this class looks at each dependency in the order the loader
/// needs them and names the first that is absent.
/// </summary>
internal static class CudaDiagnosis
{
    /// <summary>The execution provider name ONNX Runtime lists when its native library is the GPU build.</summary>
    public const string CudaProvider = "CUDAExecutionProvider";

    // ONNX Runtime 1.31's CUDA provider is built against CUDA 13 and cuDNN 9: these are the NEEDED entries of
    // libonnxruntime_providers_cuda.so in Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0 (cuDNN is loaded when first used).
    private static readonly (string Linux, string Windows)[] CudaLibraries =
    [
        ("libcudart.so.13", "cudart64_13.dll"),
        ("libcublas.so.13", "cublas64_13.dll"),
        ("libcublasLt.so.13", "cublasLt64_13.dll"),
        ("libcurand.so.10", "curand64_10.dll"),
    ];

    private static readonly (string Linux, string Windows) CudnnLibrary = ("libcudnn.so.9", "cudnn64_9.dll");
    private static readonly (string Linux, string Windows) DriverLibrary = ("libcuda.so.1", "nvcuda.dll");

    /// <summary>What keeps GPU <paramref name="deviceId"/> from being used, in one sentence.</summary>
    /// <param name="deviceId">The requested device (MLContext.GpuDeviceId).</param>
    /// <param name="failure">ONNX Runtime's error when it tried, appended as detail; null when it was not tried.</param>
    public static string Describe(int deviceId, Exception? failure)
    {
        string detail = failure is null ? "" : $" (ONNX Runtime: {FirstLine(failure.Message)})";
        if (deviceId < 0)
            return $"GPU device id {deviceId} is not valid: device ids start at 0{detail}.";
        if (!HasCudaProvider())
        {
            return "the ONNX Runtime native library in this application is the CPU build (package Microsoft.ML.OnnxRuntime), which "
                + "has no CUDA execution provider; reference Microsoft.ML.OnnxRuntime.Gpu instead (not both)" + detail + ".";
        }
        string driver = Name(DriverLibrary);
        if (!CanLoad(driver))
            return $"the NVIDIA driver library {driver} was not found: this machine has no NVIDIA driver (or no NVIDIA GPU){detail}.";
        var missing = CudaLibraries.Select(Name).Where(n => !CanLoad(n)).ToArray();
        if (missing.Length > 0)
        {
            return $"the CUDA 13 runtime libraries {string.Join(", ", missing)} were not found (install the CUDA 13 toolkit or its "
                + $"runtime libraries and put them on the library path){detail}.";
        }
        string cudnn = Name(CudnnLibrary);
        if (!CanLoad(cudnn))
            return $"the cuDNN 9 library {cudnn} was not found (install cuDNN 9 for CUDA 13 and put it on the library path){detail}.";
        int? count = DeviceCount(driver);
        if (count is int n && deviceId >= n)
            return $"GPU device id {deviceId} does not exist: the NVIDIA driver reports {n} device(s), ids 0 to {n - 1}{detail}.";
        return failure is null
            ? $"the CUDA execution provider could not be created for GPU device {deviceId}."
            : $"the CUDA execution provider could not be created for GPU device {deviceId}: {FirstLine(failure.Message)}.";
    }

    /// <summary>Whether ONNX Runtime's native library has the CUDA execution provider (the GPU build).</summary>
    public static bool HasCudaProvider()
    {
        try
        {
            return OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static string Name((string Linux, string Windows) library) => OperatingSystem.IsWindows() ? library.Windows : library.Linux;

    private static bool CanLoad(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
            return false;
        NativeLibrary.Free(handle);
        return true;
    }

    /// <summary>The number of CUDA devices the driver reports (cuInit + cuDeviceGetCount), or null when it cannot say.</summary>
    private static unsafe int? DeviceCount(string driver)
    {
        if (!NativeLibrary.TryLoad(driver, out var handle))
            return null;
        try
        {
            if (!NativeLibrary.TryGetExport(handle, "cuInit", out var init) || !NativeLibrary.TryGetExport(handle, "cuDeviceGetCount", out var getCount))
                return null;
            if (((delegate* unmanaged<uint, int>)init)(0) != 0)
                return 0;   // CUDA_ERROR_NO_DEVICE and friends: the driver is there, no usable device
            int count;
            return ((delegate* unmanaged<int*, int>)getCount)(&count) == 0 ? count : null;
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    private static string FirstLine(string text)
    {
        string line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? text;
        return line.TrimEnd('.');
    }
}
