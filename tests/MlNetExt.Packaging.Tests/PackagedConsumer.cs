using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace MlNetExt.Packaging.Tests;

/// <summary>
/// Packs every src project into a local folder feed and builds, publishes and runs the consumer applications in
/// <c>Consumers/</c> outside the repository (in a temporary folder, so none of the repository's Directory.Build.*
/// files apply), as a user would: restore from the feed, `dotnet publish -r linux-x64`, run the published app.
/// </summary>
/// <remarks>
/// NuGet: the consumers restore into a private, empty packages folder (so the packages under test are always the ones
/// just packed) with the machine's package cache as a read-only fallback folder (so TorchSharp, libtorch, ONNX Runtime
/// and ML.NET are not downloaded or extracted again). The packages get a unique pre-release version per run, so a
/// stale copy in any cache can never stand in for them. Steps run in order; a failed step leaves the later ones null,
/// and each test reports the output of the step it needs.
/// </remarks>
public sealed class PackagedConsumer : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8);

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("mlnetext-consumer-").FullName;

    public string Feed => Path.Combine(WorkDirectory, "feed");

    /// <summary>The consumers' own global packages folder (empty at the start).</summary>
    public string PrivatePackages => Path.Combine(WorkDirectory, "packages");

    /// <summary>The machine's NuGet cache, used read-only as a fallback folder.</summary>
    public string MachinePackages { get; } = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
        ? configured
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public string ModelsDirectory => Path.Combine(WorkDirectory, "models");

    public string TrainingPublishDirectory => Path.Combine(WorkDirectory, "training-publish");

    public string TrainingBuildDirectory => Path.Combine(WorkDirectory, "Training", "bin", "Release", "net10.0", "linux-x64");

    public string ScoringDirectory => Path.Combine(WorkDirectory, "scoring-bin");

    /// <summary>The version the packages were packed with (read back from the feed).</summary>
    public string? Version { get; private set; }

    public CommandResult? Pack { get; private set; }

    public CommandResult? PublishTraining { get; private set; }

    public CommandResult? RunTraining { get; private set; }

    public CommandResult? BuildScoring { get; private set; }

    public CommandResult? RunScoring { get; private set; }

    public CommandResult? BuildWithoutRuntimes { get; private set; }

    public CommandResult? BuildAugmentationOnly { get; private set; }

    public static bool IsSupportedPlatform => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public static string Metadata(string key) =>
        typeof(PackagedConsumer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is empty");

    public async ValueTask InitializeAsync()
    {
        if (!IsSupportedPlatform) return;
        string dotnet = ChildProcess.Dotnet;
        string configuration = Metadata("Configuration");
        string suffix = $"consumertest.{DateTime.UtcNow:yyyyMMddHHmmss}";

        Pack = await ChildProcess.RunAsync(dotnet,
            ["pack", Path.Combine(RepositoryRoot, "MlNetExt.sln"), "-c", configuration, "--no-build", "-o", Feed, $"-p:VersionSuffix={suffix}"],
            RepositoryRoot, BuildTimeout);
        if (!Pack.Succeeded) return;
        Version = Path.GetFileNameWithoutExtension(Directory.GetFiles(Feed, "MlNetExt.Core.*.nupkg").Single())["MlNetExt.Core.".Length..];

        foreach (string consumer in new[] { "Training", "Scoring", "WithoutRuntimes", "AugmentationOnly" })
            CopyDirectory(Path.Combine(RepositoryRoot, "tests", "MlNetExt.Packaging.Tests", "Consumers", consumer), Path.Combine(WorkDirectory, consumer));
        File.WriteAllText(Path.Combine(WorkDirectory, "NuGet.Config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="mlnetext-local-feed" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine-cache" value="{MachinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        var build = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = PrivatePackages };
        string[] versions =
        [
            $"-p:MlNetExtVersion={Version}",
            $"-p:LibTorchVersion={Metadata("MlNetExtLibTorchVersion")}",
            $"-p:OnnxRuntimeVersion={Metadata("MlNetExtOnnxRuntimeVersion")}",
            $"-p:MicrosoftMLVersion={Metadata("MlNetExtMicrosoftMLVersion")}",
            "--disable-build-servers", "-p:UseSharedCompilation=false",
        ];

        PublishTraining = await ChildProcess.RunAsync(dotnet,
            ["publish", "Training/Training.csproj", "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", TrainingPublishDirectory, .. versions],
            WorkDirectory, BuildTimeout, build);
        if (!PublishTraining.Succeeded) return;

        RunTraining = await RunTrainingApp(TrainingPublishDirectory, ModelsDirectory);
        if (!RunTraining.Succeeded) return;

        BuildScoring = await ChildProcess.RunAsync(dotnet,
            ["build", "Scoring/Scoring.csproj", "-c", "Release", "-o", ScoringDirectory, .. versions], WorkDirectory, BuildTimeout, build);
        if (BuildScoring.Succeeded)
            RunScoring = await ChildProcess.RunAsync(Path.Combine(ScoringDirectory, "Scoring"), [ModelsDirectory], WorkDirectory, RunTimeout);

        BuildWithoutRuntimes = await ChildProcess.RunAsync(dotnet,
            ["build", "WithoutRuntimes/WithoutRuntimes.csproj", "-c", "Release", .. versions], WorkDirectory, BuildTimeout, build);
        BuildAugmentationOnly = await ChildProcess.RunAsync(dotnet,
            ["build", "AugmentationOnly/AugmentationOnly.csproj", "-c", "Release", .. versions], WorkDirectory, BuildTimeout, build);
    }

    /// <summary>
    /// Runs the training consumer from <paramref name="appDirectory"/>. NUGET_PACKAGES points at an empty folder so that
    /// TorchSharp's fallback loader (which copies libtorch out of the NuGet cache) cannot hide a missing native library.
    /// </summary>
    public Task<CommandResult> RunTrainingApp(string appDirectory, string outputDirectory)
    {
        string noPackages = Directory.CreateDirectory(Path.Combine(WorkDirectory, "no-packages")).FullName;
        return ChildProcess.RunAsync(Path.Combine(appDirectory, "Training"), [outputDirectory], WorkDirectory, RunTimeout,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = noPackages, ["OMP_NUM_THREADS"] = "1" });
    }

    /// <summary>A copy of the published training app made of hard links, to break one native library in.</summary>
    public async Task<string> LinkedCopyOfTrainingApp(string name)
    {
        string copy = Path.Combine(WorkDirectory, name);
        var result = await ChildProcess.RunAsync("cp", ["-al", TrainingPublishDirectory, copy], WorkDirectory, TimeSpan.FromMinutes(2));
        Assert.True(result.Succeeded, result.Describe());
        return copy;
    }

    /// <summary>The extracted package folder <paramref name="id"/>/<paramref name="version"/> the consumers restored from.</summary>
    public string PackageFolder(string id, string version)
    {
        foreach (string root in new[] { PrivatePackages, MachinePackages })
        {
            string folder = Path.Combine(root, id.ToLowerInvariant(), version);
            if (Directory.Exists(folder)) return folder;
        }
        throw new DirectoryNotFoundException($"package {id} {version} is neither in {PrivatePackages} nor in {MachinePackages}");
    }

    /// <summary>Fails the calling test with the output of <paramref name="step"/> unless it ran and succeeded.</summary>
    public static CommandResult Require(CommandResult? step, string name)
    {
        Assert.True(step is not null, $"{name} did not run because an earlier step failed (see the other tests' output).");
        Assert.True(step.Succeeded, $"{name} failed:\n{step.Describe()}");
        return step;
    }

    public ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("MLNETEXT_KEEP_CONSUMER") != "1" && Directory.Exists(WorkDirectory))
            Directory.Delete(WorkDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MlNetExt.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"MlNetExt.sln not found above {AppContext.BaseDirectory}");
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
    }
}
