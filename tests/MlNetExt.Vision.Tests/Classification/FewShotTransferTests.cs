using Microsoft.ML;
using MlNetExt.Vision.Classification;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

/// <summary>
/// The point of the shipped backbone: with ten labelled images per class, ImageNet features fine-tuned in stages beat
/// the same trainer learning a small CNN from scratch on held-out images.
/// </summary>
[Collection(nameof(ImageClassifierCollection))]
public sealed class FewShotTransferTests
{
    // T-shirt/top, Pullover, Dress, Sandal, Ankle boot: two pairs of look-alikes, so ten images each are not plenty.
    private static readonly int[] Classes = [0, 2, 3, 5, 9];
    private const int TrainPerClass = 10;
    private const int TestPerClass = 100;

    private static double HeldOutAccuracy(ImageClassifierOptions options)
    {
        var ml = new MLContext(options.Seed ?? 1);
        var train = FashionData.Images(ml, train: true, TrainPerClass, Classes);
        var key = FashionData.LabelToKey(ml, train);
        var test = key.Transform(FashionData.Images(ml, train: false, TestPerClass, Classes));
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(options).Fit(key.Transform(train));
        return ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
    }

    [Theory]
    [Trait("Category", "Slow")]   // the defaults train 60 epochs of MobileNetV2 at 64 px on these 50 images (~20 s each unloaded)
    [InlineData(1)]
    [InlineData(2)]
    public void Default_options_learn_the_ten_shot_split_without_tuning(int seed)
    {
        // Measured (seeds 1, 2): 0.880, 0.886 with today's defaults (issue 18: training length from the data size, 240
        // steps staged; 0.878, 0.898 at 300 steps);
        // 0.826, 0.870 with 10 epochs; 0.588, 0.560 with the earliest defaults (BatchSize 32, head-only epochs at the base
        // learning rate).
        double accuracy = HeldOutAccuracy(new ImageClassifierOptions { Seed = seed });
        TestContext.Current.TestOutputHelper?.WriteLine($"defaults, seed {seed}: held-out accuracy {accuracy:F3}");
        Assert.True(accuracy > 0.75, $"held-out accuracy {accuracy:F3} with default options (chance 0.2)");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Pretrained_backbone_beats_training_from_scratch_on_a_few_shot_split()
    {
        int threads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(1);
        try
        {
            // Measured (seeds 1, 2, 3; 2 shared cores): pretrained staged 0.902, 0.900, 0.880; small CNN from scratch
            // 0.834, 0.804, 0.810 (its best settings found: whole network at full learning rate, 30 epochs). Both
            // runs pin the settings these figures were measured with (backbone multiplier 0.1, dropout 0.2), which
            // were the defaults then: issue 18's defaults (0.3, no dropout) give 0.876 against 0.852 at seed 1.
            double pretrained = HeldOutAccuracy(new ImageClassifierOptions
            {
                Backbone = ImageBackbone.Default, Strategy = TransferStrategy.Staged, Epochs = 20, LearningRate = 3e-3f,
                HeadLearningRateMultiplier = 1f,   // 3e-3 was tuned for the head (a multiplier of 10 gives 0.886 here)
                BackboneLearningRateMultiplier = 0.1f, Dropout = 0.2f,
                ImageSize = 64, BatchSize = 16, Seed = 1,
            });
            double scratch = HeldOutAccuracy(new ImageClassifierOptions
            {
                Backbone = ImageBackbone.FromScratch("small_cnn"), Strategy = TransferStrategy.FineTune, BackboneLearningRateMultiplier = 1f,
                Dropout = 0.2f, Epochs = 30, LearningRate = 1e-3f, ImageSize = 64, BatchSize = 16, Seed = 1,
            });

            TestContext.Current.TestOutputHelper?.WriteLine($"pretrained staged {pretrained:F3}, small CNN from scratch {scratch:F3}");
            Assert.True(pretrained > 0.8, $"pretrained accuracy {pretrained:F3} (chance 0.2)");
            Assert.True(pretrained > scratch + 0.04, $"pretrained {pretrained:F3} vs scratch {scratch:F3}");
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);
        }
    }
}
