using System.Reflection;
using System.Runtime.InteropServices;

namespace MlNetExt.Cli.Runs;

/// <summary>The versions and machine a run used (config.json and the report's environment section).</summary>
internal sealed record RunEnvironment(
    IReadOnlyDictionary<string, string> Packages, string Dotnet, string OperatingSystem, string Architecture,
    int ProcessorCount, string MachineName)
{
    /// <summary>The running process's environment.</summary>
    public static RunEnvironment Current()
    {
        var packages = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["mlnetext"] = VersionOf(typeof(RunEnvironment).Assembly),
            ["MlNetExt.Core"] = VersionOf(typeof(MlNetExt.Core.Models.OnnxModelTransformer).Assembly),
            ["MlNetExt.Regression"] = VersionOf(typeof(MlNetExt.Regression.Counts.CountRegressionTransformer).Assembly),
            ["MlNetExt.Vision"] = VersionOf(typeof(MlNetExt.Vision.Classification.ImageClassifierOptions).Assembly),
            ["MlNetExt.Embeddings"] = VersionOf(typeof(MlNetExt.Embeddings.Evaluation.EmbeddingMetrics).Assembly),
            ["MlNetExt.ImageAugmentation"] = VersionOf(typeof(MlNetExt.ImageAugmentation.AugmentationPolicy).Assembly),
            ["Microsoft.ML"] = VersionOf(typeof(Microsoft.ML.MLContext).Assembly),
            ["Microsoft.ML.OnnxRuntime"] = VersionOf(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly),
            ["TorchSharp"] = VersionOf(typeof(TorchSharp.torch).Assembly),
        };
        return new RunEnvironment(packages, RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription,
            RuntimeInformation.ProcessArchitecture.ToString(), Environment.ProcessorCount, Environment.MachineName);
    }

    /// <summary>The informational version without a source-revision suffix ("5.0.1", not "5.0.1+abc").</summary>
    private static string VersionOf(Assembly assembly)
    {
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        string version = informational ?? assembly.GetName().Version?.ToString() ?? "unknown";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
