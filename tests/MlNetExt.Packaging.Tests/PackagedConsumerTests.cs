using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using Xunit;

namespace MlNetExt.Packaging.Tests;

/// <summary>
/// The MlNetExt packages as a user receives them: packed into a local feed, consumed by applications outside the
/// repository (see <see cref="PackagedConsumer"/>). Slow end-to-end tests: about 3-5 minutes for the whole class on
/// two cores, most of it the consumers' restore, publish and training run. Linux x64 only (the consumers publish for
/// linux-x64 and the native fix concerns Linux).
/// </summary>
[Trait("Category", "Slow")]
[Trait("Category", "EndToEnd")]
public sealed class PackagedConsumerTests(PackagedConsumer consumer) : IClassFixture<PackagedConsumer>
{
    private static readonly string[] CodePackages =
        ["MlNetExt.Core", "MlNetExt.ImageAugmentation", "MlNetExt.Regression", "MlNetExt.Vision", "MlNetExt.Embeddings"];

    [Fact]
    public void Training_app_built_from_the_packages_trains_saves_reloads_and_scores_every_plugin()
    {
        SkipUnlessSupported();
        PackagedConsumer.Require(consumer.PublishTraining, "dotnet publish of the training consumer");
        var run = PackagedConsumer.Require(consumer.RunTraining, "the training consumer");
        TestContext.Current.TestOutputHelper?.WriteLine(run.StandardOutput);

        foreach (string plugin in new[] { "counts", "gaussian", "augmentation", "image classifier", "triplet embedding", "deep CCA" })
            Assert.True(run.StandardOutput.Contains($"ok {plugin}:", StringComparison.Ordinal), $"no 'ok {plugin}' line:\n{run.Describe()}");
        Assert.Contains("shipped weights in the output: True", run.StandardOutput);
    }

    [Fact]
    public void TorchSharp_bridge_is_patched_in_the_apps_build_and_publish_output_and_never_in_the_package_cache()
    {
        SkipUnlessSupported();
        PackagedConsumer.Require(consumer.PublishTraining, "dotnet publish of the training consumer");

        foreach (string folder in new[] { consumer.TrainingBuildDirectory, consumer.TrainingPublishDirectory })
        {
            var needs = ElfVersionNeeds.Read(Path.Combine(folder, "libLibTorchSharp.so"));
            Assert.True(needs.TryGetValue("GLIBCXX_3.4.32", out ushort flags), $"{folder}: libLibTorchSharp.so no longer needs GLIBCXX_3.4.32");
            Assert.True((flags & ElfVersionNeeds.Weak) != 0, $"{folder}: GLIBCXX_3.4.32 is not weak (flags 0x{flags:x})");
        }

        string original = Path.Combine(consumer.PackageFolder("TorchSharp", PackagedConsumer.Metadata("MlNetExtTorchSharpVersion")),
            "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.Equal(0, ElfVersionNeeds.Read(original)["GLIBCXX_3.4.32"] & ElfVersionNeeds.Weak);
    }

    [Fact]
    public void Vision_package_carries_the_weights_model_card_and_notice_and_the_weights_reach_the_publish_output()
    {
        SkipUnlessSupported();
        PackagedConsumer.Require(consumer.PublishTraining, "dotnet publish of the training consumer");
        string shipped = Path.Combine(consumer.RepositoryRoot, "models", "mobilenet_v2_imagenet_b10.safetensors");
        string published = Path.Combine(consumer.TrainingPublishDirectory, "models", "mobilenet_v2_imagenet_b10.safetensors");
        Assert.True(File.Exists(published), $"{published} is missing");
        Assert.Equal(Sha256(shipped), Sha256(published));

        using var vision = ZipFile.OpenRead(Nupkg("MlNetExt.Vision"));
        var entries = vision.Entries.Select(e => e.FullName).ToHashSet();
        foreach (string entry in new[] { "models/mobilenet_v2_imagenet_b10.safetensors", "models/mobilenet_v2_imagenet_b10.md",
                     "THIRD-PARTY-NOTICES.md", "buildTransitive/MlNetExt.Vision.targets", "README.md", "LICENSE" })
            Assert.Contains(entry, entries);
    }

    [Fact]
    public void Packages_pin_each_other_exactly_and_carry_license_readme_project_url_and_symbols()
    {
        SkipUnlessSupported();
        PackagedConsumer.Require(consumer.Pack, "dotnet pack");
        foreach (string id in CodePackages.Append("MlNetExt.Build"))
        {
            XNamespace ns;
            XElement metadata;
            using (var package = ZipFile.OpenRead(Nupkg(id)))
            {
                Assert.Contains(package.Entries, e => e.FullName == "README.md");
                Assert.Contains(package.Entries, e => e.FullName == "LICENSE");
                using var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
                var document = XDocument.Load(nuspec);
                ns = document.Root!.Name.Namespace;
                metadata = document.Root.Element(ns + "metadata")!;
            }

            Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
            Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
            Assert.Equal("https://github.com/mlnetext/mlnetext", metadata.Element(ns + "projectUrl")?.Value);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "tags")?.Value), $"{id} has no tags");
            foreach (var dependency in metadata.Descendants(ns + "dependency").Where(d => ((string?)d.Attribute("id"))!.StartsWith("MlNetExt.", StringComparison.Ordinal)))
                Assert.Equal($"[{consumer.Version}]", (string?)dependency.Attribute("version"));
        }

        foreach (string id in CodePackages)
            Assert.True(File.Exists(Path.Combine(consumer.Feed, $"{id}.{consumer.Version}.snupkg")), $"no symbol package for {id}");
        using var core = ZipFile.OpenRead(Nupkg("MlNetExt.Core"));
        var coreDependencies = NuspecDependencies(core);
        Assert.Contains("TorchSharp", coreDependencies);
        Assert.Contains("MlNetExt.Build", coreDependencies);
        Assert.DoesNotContain("TorchSharp-cpu", coreDependencies);
        Assert.DoesNotContain(coreDependencies, d => d.StartsWith("libtorch", StringComparison.Ordinal));
        Assert.DoesNotContain("Microsoft.ML.OnnxRuntime", coreDependencies);
    }

    [Fact]
    public void Scoring_app_with_only_Microsoft_packages_scores_every_saved_model_as_the_training_process_did()
    {
        SkipUnlessSupported();
        PackagedConsumer.Require(consumer.BuildScoring, "dotnet build of the scoring consumer");
        var run = PackagedConsumer.Require(consumer.RunScoring, "the scoring consumer");
        TestContext.Current.TestOutputHelper?.WriteLine(run.StandardOutput);

        foreach (string model in new[] { "counts", "gaussian", "classifier", "triplet", "cca" })
            Assert.True(run.StandardOutput.Contains($"ok {model}:", StringComparison.Ordinal), $"no 'ok {model}' line:\n{run.Describe()}");
        Assert.DoesNotContain(Directory.GetFiles(consumer.ScoringDirectory).Select(f => Path.GetFileName(f)),
            f => f.StartsWith("MlNetExt", StringComparison.Ordinal) || f.StartsWith("TorchSharp", StringComparison.Ordinal) || f.StartsWith("libtorch", StringComparison.Ordinal));
    }

    [Fact]
    public void App_without_native_runtime_packages_gets_build_warnings_naming_the_packages_to_add()
    {
        SkipUnlessSupported();
        var build = PackagedConsumer.Require(consumer.BuildWithoutRuntimes, "dotnet build of the consumer without native runtimes");
        Assert.True(build.StandardOutput.Contains("warning MLNETEXT001", StringComparison.Ordinal)
            && build.StandardOutput.Contains("dotnet add package libtorch-cpu-linux-x64", StringComparison.Ordinal), build.Describe());
        Assert.True(build.StandardOutput.Contains("warning MLNETEXT002", StringComparison.Ordinal)
            && build.StandardOutput.Contains("dotnet add package Microsoft.ML.OnnxRuntime ", StringComparison.Ordinal), build.Describe());
    }

    [Fact]
    public void App_that_only_augments_images_needs_no_ONNX_Runtime_package_and_gets_no_warning()
    {
        SkipUnlessSupported();
        var build = PackagedConsumer.Require(consumer.BuildAugmentationOnly, "dotnet build of the augmentation-only consumer");
        Assert.False(build.StandardOutput.Contains("MLNETEXT00", StringComparison.Ordinal), build.Describe());
    }

    [Fact]
    public async Task App_without_libtorch_fails_at_Fit_naming_the_backend_package_to_add()
    {
        SkipUnlessSupported();
        PackagedConsumer.Require(consumer.RunTraining, "the training consumer");
        string app = await consumer.LinkedCopyOfTrainingApp("without-libtorch");
        string libtorch = Path.Combine(consumer.PackageFolder("libtorch-cpu-linux-x64", PackagedConsumer.Metadata("MlNetExtLibTorchVersion")),
            "runtimes", "linux-x64", "native");
        foreach (string file in Directory.GetFiles(libtorch))
            File.Delete(Path.Combine(app, Path.GetFileName(file)));

        var run = await consumer.RunTrainingApp(app, Path.Combine(consumer.WorkDirectory, "out-without-libtorch"));

        Assert.True(run.ExitCode == 2 && run.StandardError.Contains("FAILED System.DllNotFoundException: TorchSharp's native backend (libtorch) is not deployed", StringComparison.Ordinal)
            && run.StandardError.Contains("dotnet add package libtorch-cpu-linux-x64", StringComparison.Ordinal), run.Describe());
    }

    [Fact]
    public async Task App_without_onnxruntime_fails_at_Fit_naming_the_native_package_to_add()
    {
        SkipUnlessSupported();
        PackagedConsumer.Require(consumer.RunTraining, "the training consumer");
        string app = await consumer.LinkedCopyOfTrainingApp("without-onnxruntime");
        foreach (string file in Directory.GetFiles(app, "libonnxruntime*.so"))
            File.Delete(file);

        var run = await consumer.RunTrainingApp(app, Path.Combine(consumer.WorkDirectory, "out-without-onnxruntime"));

        Assert.True(run.ExitCode == 2 && run.StandardError.Contains("FAILED System.DllNotFoundException: ONNX Runtime's native library (onnxruntime) could not be loaded", StringComparison.Ordinal)
            && run.StandardError.Contains("dotnet add package Microsoft.ML.OnnxRuntime ", StringComparison.Ordinal)
            && run.StandardError.Contains("Microsoft.ML.OnnxRuntime.Gpu", StringComparison.Ordinal), run.Describe());
    }

    [Fact]
    public async Task Unpatched_bridge_fails_naming_the_fix_where_libstdcxx_lacks_GLIBCXX_3_4_32()
    {
        SkipUnlessSupported();
        if (SystemLibStdCxxHas("GLIBCXX_3.4.32"))
            Assert.Skip("this system's libstdc++ has GLIBCXX_3.4.32, so the unpatched library loads here");
        PackagedConsumer.Require(consumer.RunTraining, "the training consumer");
        string app = await consumer.LinkedCopyOfTrainingApp("unpatched-bridge");
        string bridge = Path.Combine(app, "libLibTorchSharp.so");
        File.Delete(bridge);
        File.Copy(Path.Combine(consumer.PackageFolder("TorchSharp", PackagedConsumer.Metadata("MlNetExtTorchSharpVersion")),
            "runtimes", "linux-x64", "native", "libLibTorchSharp.so"), bridge);

        var run = await consumer.RunTrainingApp(app, Path.Combine(consumer.WorkDirectory, "out-unpatched-bridge"));

        Assert.True(run.ExitCode == 2 && run.StandardError.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal)
            && run.StandardError.Contains("MlNetExt.Build package", StringComparison.Ordinal)
            && run.StandardError.Contains("rebuild or republish", StringComparison.Ordinal), run.Describe());
    }

    private string Nupkg(string id) => Path.Combine(consumer.Feed, $"{id}.{consumer.Version}.nupkg");

    private static HashSet<string> NuspecDependencies(ZipArchive package)
    {
        using var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var document = XDocument.Load(nuspec);
        return document.Descendants(document.Root!.Name.Namespace + "dependency").Select(d => (string)d.Attribute("id")!).ToHashSet();
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private static bool SystemLibStdCxxHas(string version)
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6"];
        string? library = candidates.FirstOrDefault(File.Exists);
        return library is not null && ElfVersionDefinitions(library).Contains(version);
    }

    // The version names a library defines appear as strings in it; a plain search is enough to tell whether one exists.
    private static HashSet<string> ElfVersionDefinitions(string path)
    {
        string text = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path));
        return System.Text.RegularExpressions.Regex.Matches(text, @"GLIBCXX_3\.4(\.\d+)?\0").Select(m => m.Value.TrimEnd('\0')).ToHashSet();
    }

    private static void SkipUnlessSupported()
    {
        if (!PackagedConsumer.IsSupportedPlatform)
            Assert.Skip("the consumers publish for linux-x64");
    }
}
