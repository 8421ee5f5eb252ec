using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

public sealed class ImageBackboneTests
{
    [Fact]
    public void Creating_a_backbone_does_not_change_the_callers_options()
    {
        var options = new SmallCnnOptions { NumClasses = 10, Channels = [4, 8] };
        using var folder = new TempDirectory();
        string path = folder.File("w.safetensors");
        using (var net = new SmallCnn(new SmallCnnOptions { NumClasses = null, Channels = [4, 8] }))
            net.SaveWeights(path);

        using (ImageBackbone.FromScratch("small_cnn", options).Create())
        using (ImageBackbone.FromFile("small_cnn", path, options).Create())
        {
        }

        Assert.Equal(10, options.NumClasses);
    }

    [Theory]
    [InlineData("model.pth", typeof(InvalidDataException))]   // PyTorch checkpoints are read now: this one is corrupt
    [InlineData("weights.bin", typeof(InvalidDataException))]
    public void FromFile_rejects_an_unreadable_or_unsupported_file_at_the_call_naming_it(string name, Type expected)
    {
        using var folder = new TempDirectory();
        string path = folder.File(name);
        File.WriteAllText(path, "these are not weights");

        var e = Assert.Throws(expected, () => ImageBackbone.FromFile("small_cnn", path));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Weights_under_a_prefix_fail_with_the_prefix_to_pass()
    {
        using var folder = new TempDirectory();
        string path = folder.File("wrapped.safetensors");
        var options = new SmallCnnOptions { NumClasses = null, Channels = [4, 8] };
        using (var net = new SmallCnn(options))
            SafeTensors.Save(path, net.state_dict().ToDictionary(e => "module." + e.Key, e => e.Value));

        var e = Assert.Throws<InvalidDataException>(() => ImageBackbone.FromFile("small_cnn", path, options));
        var backbone = ImageBackbone.FromFile("small_cnn", path, options, sourcePrefix: "module.");

        Assert.Contains("sourcePrefix: \"module.\"", e.Message);
        Assert.Contains("wrapped.safetensors", e.Message);
        Assert.Empty(backbone.LoadReport!.MissingKeys);
    }

    [Fact]
    public void Default_backbone_multiplier_and_training_length_follow_the_backbone_and_the_data()
    {
        var scratch = new ImageClassifierOptions { Backbone = ImageBackbone.FromScratch("small_cnn") };
        var pretrained = new ImageClassifierOptions();
        var frozen = new ImageClassifierOptions { Strategy = TransferStrategy.Frozen };
        var fineTune = new ImageClassifierOptions { Strategy = TransferStrategy.FineTune };
        var given = new ImageClassifierOptions { BackboneLearningRateMultiplier = 0.5f, Epochs = 7 };

        Assert.Equal(1f, scratch.EffectiveBackboneLearningRateMultiplier);
        Assert.Equal(0.3f, pretrained.EffectiveBackboneLearningRateMultiplier);
        Assert.Equal(0.5f, given.EffectiveBackboneLearningRateMultiplier);
        // 50 images at batch 16: 4 steps an epoch; staged (the default strategy) on a pretrained backbone aims for ~240
        // steps (60 epochs), fine-tuning it for ~300 (75), a backbone from scratch for ~600 (150), frozen training of the
        // head alone for ~1000 (250). 50,000 images: the minimum of 5 epochs.
        Assert.Equal(60, pretrained.EffectiveEpochs(50));
        Assert.Equal(75, fineTune.EffectiveEpochs(50));
        Assert.Equal(250, frozen.EffectiveEpochs(50));
        Assert.Equal(150, scratch.EffectiveEpochs(50));
        Assert.Equal(5, pretrained.EffectiveEpochs(50_000));
        Assert.Equal(5, frozen.EffectiveEpochs(50_000));
        Assert.Equal(5, scratch.EffectiveEpochs(50_000));
        Assert.Equal(300, fineTune.EffectiveEpochs(10));
        Assert.Equal(7, given.EffectiveEpochs(50));
        Assert.Equal(7, given.EffectiveEpochs(50_000));
    }
}
