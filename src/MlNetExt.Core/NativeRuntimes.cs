using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace MlNetExt.Core;

/// <summary>
/// Checks that the native libraries MlNetExt trains and scores with can be loaded: libtorch with TorchSharp's native
/// bridge (training) and ONNX Runtime (scoring). When one cannot, the exception names the NuGet package the
/// application must add, instead of TorchSharp's or ONNX Runtime's generic text.
/// </summary>
/// <remarks>
/// MlNetExt's packages reference TorchSharp without a libtorch backend and ONNX Runtime's managed API without a native
/// library, so that the application chooses CPU or GPU builds. MlNetExt's trainers call these checks before their
/// first TorchSharp or ONNX Runtime call; an application may call them at start-up to fail early. Both are cheap once
/// the libraries are loaded and safe to call from several threads.
/// </remarks>
public static class NativeRuntimes
{
    /// <summary>Loads TorchSharp's CPU backend (libtorch and libLibTorchSharp), or explains what is missing.</summary>
    /// <exception cref="DllNotFoundException">
    /// No libtorch backend is deployed with the application (the message names the package for this platform), or
    /// TorchSharp's native bridge cannot be loaded (on Linux, typically an unpatched copy that needs GLIBCXX_3.4.32).
    /// The original exception is the inner exception.
    /// </exception>
    public static void EnsureTorchSharp()
    {
        try
        {
            // Reading any static member runs torch's type initializer, which loads the native backend.
            GC.KeepAlive(torch.CPU);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or BadImageFormatException)
        {
            throw new DllNotFoundException(DescribeTorchSharpFailure(), e);
        }
    }

    /// <summary>Loads ONNX Runtime's native library, or explains which package provides it.</summary>
    /// <exception cref="DllNotFoundException">
    /// ONNX Runtime's native library is not deployed with the application, or does not match the managed API's
    /// version; the message names the package to add. The original exception is the inner exception.
    /// </exception>
    public static void EnsureOnnxRuntime()
    {
        try
        {
            GC.KeepAlive(OrtEnv.Instance());
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException
                                   or BadImageFormatException or OnnxRuntimeException)
        {
            throw new DllNotFoundException(DescribeOnnxRuntimeFailure(e), e);
        }
    }

    private static string DescribeTorchSharpFailure()
    {
        string libTorchVersion = Metadata("MlNetExtLibTorchVersion");
        string torchSharpVersion = Metadata("MlNetExtTorchSharpVersion");
        string? libtorchError = LoadError("torch_cpu");
        if (libtorchError is not null)
        {
            return "TorchSharp's native backend (libtorch) is not deployed with this application, so MlNetExt cannot train. "
                + "MlNetExt's packages reference TorchSharp without a backend so that the application chooses one: add the CPU backend "
                + $"with 'dotnet add package {CpuBackendPackage()} --version {libTorchVersion}' (or TorchSharp-cpu {torchSharpVersion} "
                + $"for Linux, Windows and macOS at once), or TorchSharp-cuda-linux / TorchSharp-cuda-windows {torchSharpVersion} for "
                + "NVIDIA GPUs, and rebuild. TorchSharp's own message (\"doesn't contain a reference to libtorch-cpu-...\") means the same. "
                + $"Loader: {LoaderDetail(libtorchError)}";
        }

        string? bridgeError = LoadError("LibTorchSharp");
        if (bridgeError is not null && bridgeError.Contains("GLIBCXX_", StringComparison.Ordinal))
        {
            return "TorchSharp's native bridge (libLibTorchSharp.so) in this application needs a newer libstdc++ than this system has "
                + "(GLIBCXX_3.4.32; Debian 12 and Ubuntu 22.04 lack it), and it was not patched. The MlNetExt.Build package, which "
                + "every MlNetExt package depends on, patches the copy in the build and publish output: rebuild or republish the "
                + "application with an MlNetExt package referenced (and MlNetExtTorchSharpFixEnabled not set to false), and do not "
                + $"copy libLibTorchSharp.so from the NuGet cache by hand. Loader: {LoaderDetail(bridgeError)}";
        }

        return "TorchSharp's native bridge (LibTorchSharp) could not be loaded although libtorch was found. Check that the "
            + $"libtorch backend package ({libTorchVersion}) matches TorchSharp {torchSharpVersion} and the process architecture "
            + $"({RuntimeInformation.ProcessArchitecture}). Loader: {LoaderDetail(bridgeError ?? "no further detail")}";
    }

    private static string DescribeOnnxRuntimeFailure(Exception e)
    {
        string version = Metadata("MlNetExtOnnxRuntimeVersion");
        string detail = LoaderDetail((e is TypeInitializationException { InnerException: { } inner } ? inner : e).Message);
        return "ONNX Runtime's native library (onnxruntime) could not be loaded, so MlNetExt cannot score: every trained network "
            + "runs through ONNX Runtime. MlNetExt's packages reference only ONNX Runtime's managed API so that the application "
            + $"chooses one native package: 'dotnet add package Microsoft.ML.OnnxRuntime --version {version}' (CPU) or "
            + $"'dotnet add package Microsoft.ML.OnnxRuntime.Gpu --version {version}' (CUDA), not both, at the version of "
            + $"Microsoft.ML.OnnxRuntime.Managed in use. Loader: {detail}";
    }

    /// <summary>The loader's error for <paramref name="name"/> (resolved as TorchSharp resolves it), or null when it loads.</summary>
    private static string? LoadError(string name)
    {
        try
        {
            NativeLibrary.Load(name, typeof(torch).Assembly, null);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return e.Message;
        }
    }

    private static string CpuBackendPackage()
    {
        var arch = RuntimeInformation.ProcessArchitecture;
        if (OperatingSystem.IsLinux() && arch == Architecture.X64) return "libtorch-cpu-linux-x64";
        if (OperatingSystem.IsWindows() && arch == Architecture.X64) return "libtorch-cpu-win-x64";
        if (OperatingSystem.IsWindows() && arch == Architecture.Arm64) return "libtorch-cpu-win-arm64";
        if (OperatingSystem.IsMacOS() && arch == Architecture.Arm64) return "libtorch-cpu-osx-arm64";
        return "TorchSharp-cpu";
    }

    private static string Metadata(string key) =>
        typeof(NativeRuntimes).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value ?? "?";

    // The .NET loader's message is a generic sentence followed by one line per path it tried: keep the line that says
    // what went wrong (a missing symbol version, else the first path), so the message stays readable.
    private static string LoaderDetail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => l.Contains("GLIBCXX_", StringComparison.Ordinal))
            ?? lines.Skip(1).FirstOrDefault()
            ?? lines.FirstOrDefault()
            ?? "";
    }
}
