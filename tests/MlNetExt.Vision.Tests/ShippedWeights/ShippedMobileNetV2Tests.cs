using System.Globalization;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.ShippedWeights;

/// <summary>
/// The shipped ImageNet MobileNetV2 (stem..block_10, converted from the nsfwjs TF.js model by
/// tools/nsfwjs-mobilenetv2) must reproduce the original TF.js model's block_10_project_BN activations, stored in
/// models/reference/ by tools/nsfwjs-mobilenetv2/reference.js, when loaded into the Keras-compatible port.
/// </summary>
public sealed class ShippedMobileNetV2Tests
{
    private const string WeightsFileName = "mobilenet_v2_imagenet_b10.safetensors";
    private const string ReferenceFileName = "mobilenet_v2_imagenet_b10_reference.safetensors";

    // float32 TorchSharp vs float32 TF.js (pure-JS cpu backend) through 11 blocks: measured max abs difference
    // 1.3e-5 with |out| up to 15.8, i.e. 8e-7 of the largest activation (both batches). 1e-5 leaves ~12x headroom
    // for other CPUs' kernels, while a wrong padding, epsilon, layout or name mapping is off by 1e-2 .. 1e0 relative.
    private const double RelativeTolerance = 1e-5;

    private readonly ITestOutputHelper _output;

    public ShippedMobileNetV2Tests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("64x64")]
    [InlineData("48x80")]
    public void Shipped_weights_in_keras_mode_reproduce_tfjs_block_10_activations(string batch)
    {
        using var scope = torch.NewDisposeScope();
        using var net = new MobileNetV2(new MobileNetV2Options
        {
            KerasCompatible = true,
            TruncateAfter = MobileNetV2Options.StageOfBlock(10),
        });
        using var weights = SafeTensors.Load(ModelsPath(WeightsFileName));
        var report = net.LoadWeights(weights, new WeightLoadOptions { Strict = true }, WeightsFileName);

        Assert.True(report.IsExactMatch, report.Describe());
        Assert.Equal(165, report.LoadedKeys.Count);
        Assert.All(report.IgnoredMissingKeys, k => Assert.EndsWith(".num_batches_tracked", k, StringComparison.Ordinal));

        var (maxDiff, maxRef) = CompareWithReference(net, batch);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{batch}: max abs diff {maxDiff:E3}, max |reference| {maxRef:F3}, relative {maxDiff / maxRef:E3}"));
        Assert.True(maxRef > 1.0, $"reference activations look empty (max |out| {maxRef})");
        Assert.True(maxDiff <= RelativeTolerance * maxRef,
            string.Create(CultureInfo.InvariantCulture, $"{batch}: max abs diff {maxDiff:E3} exceeds {RelativeTolerance:E1} x max |reference| {maxRef:F3}"));
    }

    [Theory]
    [InlineData(false, null)] // plain torchvision: symmetric padding, eps 1e-5
    [InlineData(true, 1e-5)] // Keras padding but torchvision's BatchNorm epsilon
    [InlineData(false, 1e-3)] // Keras epsilon but symmetric padding
    public void Weights_outside_full_keras_mode_do_not_reproduce_the_reference(bool kerasCompatible, double? epsilon)
    {
        // The comparison must be able to tell each Keras difference apart, or the main test would prove little.
        using var scope = torch.NewDisposeScope();
        using var net = new MobileNetV2(new MobileNetV2Options
        {
            KerasCompatible = kerasCompatible,
            BatchNormEpsilon = epsilon,
            TruncateAfter = MobileNetV2Options.StageOfBlock(10),
        });
        using var weights = SafeTensors.Load(ModelsPath(WeightsFileName));
        net.LoadWeights(weights, new WeightLoadOptions { Strict = true }, WeightsFileName);

        var (maxDiff, maxRef) = CompareWithReference(net, "64x64");

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"keras padding {kerasCompatible}, eps {net.Options.EffectiveBatchNormEpsilon}: relative diff {maxDiff / maxRef:E3}"));
        Assert.True(maxDiff > 100 * RelativeTolerance * maxRef,
            $"a non-Keras configuration came within 100x the tolerance of the Keras reference (diff {maxDiff}, max {maxRef})");
    }

    [Fact]
    public void Catalog_entry_loads_the_shipped_file_and_matches_the_reference()
    {
        using var scope = torch.NewDisposeScope();
        var (network, report) = PretrainedBackbones.Create(PretrainedCatalog.MobileNetV2ImageNetBlock10);
        using var net = network;

        Assert.Empty(report.MissingKeys);
        Assert.Empty(report.UnexpectedKeys);
        Assert.Equal(96, net.FeatureDimension);
        var (maxDiff, maxRef) = CompareWithReference(net, "48x80");
        Assert.True(maxDiff <= RelativeTolerance * maxRef, $"catalog network: max abs diff {maxDiff} vs max |reference| {maxRef}");
    }

    /// <summary>Runs the reference pixels of <paramref name="batch"/> (scaled x / 127.5 - 1) and compares with the TF.js output.</summary>
    private static (double MaxDiff, double MaxRef) CompareWithReference(BackboneNetwork net, string batch)
    {
        using var reference = SafeTensors.Load(ModelsPath(Path.Combine("reference", ReferenceFileName)));
        var pixels = reference["pixels_" + batch].to(ScalarType.Float32);
        var expected = reference["block_10_" + batch].to(ScalarType.Float32);
        net.eval();
        using var noGrad = torch.no_grad();
        var actual = net.FeatureMap(pixels / 127.5f - 1f);

        Assert.Equal(expected.shape, actual.shape);
        double maxDiff = (actual - expected).abs().max().item<float>();
        double maxRef = expected.abs().max().item<float>();
        return (maxDiff, maxRef);
    }

    /// <summary>Path of a file under the repository's models/ folder, found by walking up from the test binaries.</summary>
    private static string ModelsPath(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MlNetExt.sln")))
            {
                string path = Path.Combine(dir.FullName, "models", relative);
                Assert.True(File.Exists(path), $"{path} is missing: run tools/nsfwjs-mobilenetv2 (see models/mobilenet_v2_imagenet_b10.md)");
                return path;
            }
        }

        throw new DirectoryNotFoundException($"No folder holding MlNetExt.sln above {AppContext.BaseDirectory}.");
    }
}
