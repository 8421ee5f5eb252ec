using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Weights;

public sealed class WeightLoaderTests
{
    [Fact]
    public void Strict_load_lists_missing_unexpected_and_mismatched_keys_and_loads_nothing()
    {
        torch.manual_seed(21);
        using var source = new SmallCnn(new SmallCnnOptions { NumClasses = 5 });
        using var target = new SmallCnn(new SmallCnnOptions { NumClasses = 3 });
        using var before = target.state_dict()["features.0.0.weight"].clone();
        var weights = source.state_dict()
            .Where(kv => kv.Key != "features.1.1.running_var")
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        weights["extra.weight"] = torch.zeros(2);

        var ex = Assert.Throws<WeightLoadException>(() => target.LoadWeights(weights, new WeightLoadOptions { Strict = true }, "src.safetensors"));

        Assert.Contains("features.1.1.running_var", ex.Message);
        Assert.Contains("extra.weight", ex.Message);
        Assert.Contains("fc.weight: module [3, 128] vs file [5, 128]", ex.Message);
        Assert.Equal(new[] { "features.1.1.running_var" }, ex.Report.MissingKeys);
        Assert.Equal(new[] { "extra.weight" }, ex.Report.UnexpectedKeys);
        Assert.Equal(new[] { "fc.weight", "fc.bias" }, ex.Report.ShapeMismatches.Select(m => m.Name));
        Assert.True(TensorEquality.Same(before, target.state_dict()["features.0.0.weight"]), "strict failure must not load anything");
    }

    [Fact]
    public void Non_strict_load_replaces_everything_but_the_new_head()
    {
        torch.manual_seed(22);
        using var pretrained = new ResNet(18, new BackboneOptions { NumClasses = 1000 });
        using var fresh = new ResNet(18, new BackboneOptions { NumClasses = 4 });
        using var headBefore = fresh.state_dict()["fc.weight"].clone();

        var report = fresh.LoadWeights(pretrained.state_dict(), new WeightLoadOptions { Strict = false });

        Assert.Equal(new[] { "fc.weight", "fc.bias" }, report.ShapeMismatches.Select(m => m.Name));
        Assert.Empty(report.MissingKeys);
        Assert.Empty(report.UnexpectedKeys);
        Assert.Equal(pretrained.state_dict().Count - 2, report.LoadedKeys.Count);
        Assert.True(TensorEquality.Same(pretrained.state_dict()["layer3.1.conv2.weight"], fresh.state_dict()["layer3.1.conv2.weight"]));
        Assert.True(TensorEquality.Same(headBefore, fresh.state_dict()["fc.weight"]));
    }

    [Fact]
    public void Truncated_backbone_loads_full_weights_non_strict_and_reports_the_rest_as_unexpected()
    {
        torch.manual_seed(23);
        using var full = new MobileNetV2();
        using var truncated = new MobileNetV2(new MobileNetV2Options { TruncateAfter = "features.11" });

        var report = truncated.LoadWeights(full.state_dict(), new WeightLoadOptions { Strict = false });

        Assert.Empty(report.MissingKeys);
        Assert.Contains("features.12.conv.0.0.weight", report.UnexpectedKeys);
        Assert.Contains("classifier.1.weight", report.UnexpectedKeys);
        Assert.Equal(truncated.state_dict().Count, report.LoadedKeys.Count);
    }

    [Fact]
    public void Missing_batch_counters_are_ignored_and_prefixes_are_stripped()
    {
        torch.manual_seed(24);
        using var source = new SmallCnn();
        using var target = new SmallCnn();
        var weights = source.state_dict()
            .Where(kv => !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            .ToDictionary(kv => "module." + kv.Key, kv => kv.Value);

        var report = target.LoadWeights(weights, new WeightLoadOptions { SourcePrefix = "module." });

        Assert.True(report.IsExactMatch, report.Describe());
        Assert.Equal(4, report.IgnoredMissingKeys.Count);
        Assert.True(TensorEquality.Same(source.state_dict()["fc.weight"], target.state_dict()["fc.weight"]));
    }

    [Theory]
    [InlineData("resnet18.pth")]
    [InlineData("model.pt")]
    public void Damaged_PyTorch_checkpoint_is_invalid_data_naming_the_file(string fileName)
    {
        using var dir = new TempDirectory();
        var path = dir.File(fileName);
        File.WriteAllBytes(path, new byte[] { 0x50, 0x4B, 3, 4, 0, 0 });
        using var net = new SmallCnn();

        var ex = Assert.Throws<InvalidDataException>(() => net.LoadWeights(path));

        Assert.Contains(fileName, ex.Message);
    }

    [Fact]
    public void A_damaged_zip_with_the_bin_extension_is_treated_as_a_pytorch_checkpoint()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pytorch_model.bin");
        File.WriteAllBytes(path, new byte[] { 0x50, 0x4B, 3, 4, 0, 0, 0, 0 });

        Assert.Equal(WeightFileFormat.PyTorchPickle, WeightFile.FormatOf(path));
        Assert.Contains("pytorch_model.bin", Assert.Throws<InvalidDataException>(() => WeightFile.Read(path)).Message);
    }
}
