using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Samples.Data;
using MlNetExt.Vision.Classification;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

/// <summary>Class-balanced resampling: what each epoch draws, and what it does for a rare class.</summary>
[Collection(nameof(ImageClassifierCollection))]
public sealed class ClassBalancingTests
{
    [Fact]
    public void Every_epoch_draws_the_classes_equally_and_repeats_rare_rows_evenly()
    {
        // 95 rows of class 0, 40 of class 2, 5 of class 3 (under 4 %); class 1 absent.
        long[] classes = [.. Enumerable.Repeat(0L, 95), .. Enumerable.Repeat(2L, 40), .. Enumerable.Repeat(3L, 5)];
        var sampler = new BalancedEpochSampler(classes, classCount: 4, seed: 7);

        var first = sampler.Draw(1).ToArray();
        var second = sampler.Draw(2).ToArray();

        foreach (var drawn in new[] { first, second })
        {
            Assert.Equal(classes.Length, drawn.Length);
            var perClass = drawn.GroupBy(r => classes[r]).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal([0L, 2L, 3L], perClass.Keys.Order());
            Assert.All(perClass.Values, n => Assert.InRange(n, 46, 47));   // 140 rows over 3 present classes
            var rareRepeats = drawn.Where(r => classes[r] == 3).GroupBy(r => r).Select(g => g.Count()).ToArray();
            Assert.Equal(5, rareRepeats.Length);
            Assert.All(rareRepeats, n => Assert.InRange(n, 9, 10));         // 46 or 47 draws of 5 images
            var frequent = drawn.Where(r => classes[r] == 0).ToArray();
            Assert.Equal(frequent.Length, frequent.Distinct().Count());   // the frequent class is subsampled, not repeated
        }
        Assert.NotEqual(first.Where(r => classes[r] == 0).Order(), second.Where(r => classes[r] == 0).Order());
        Assert.Equal(first, sampler.Draw(1).ToArray());
        Assert.Equal(first, new BalancedEpochSampler(classes, 4, seed: 7).Draw(1).ToArray());
    }

    // T-shirt/top, Pullover, Coat common; Shirt rare (the look-alike of all three).
    private static readonly int[] Common = [0, 2, 4];
    private const int Rare = 6;

    private static double RareRecall(ClassBalancing balancing, int seed)
    {
        var ml = new MLContext(seed);
        var rows = FashionData.Rows(train: true, 57, Common).Concat(FashionData.Rows(train: true, 9, Rare));
        var train = ml.Data.LoadFromEnumerable(rows.Select(r => new FashionData.PixelRow { Pixels = r.Pixels.Select(b => (float)b).ToArray(), Label = r.Label }).ToList());
        var key = FashionData.LabelToKey(ml, train);
        var test = key.Transform(FashionData.Pixels(ml, train: false, 100, [.. Common, Rare]));
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", Strategy = TransferStrategy.Frozen, Epochs = 12, ImageSize = 32, BatchSize = 16,
            ClassBalancing = balancing, Seed = seed,
        }).Fit(key.Transform(train));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        var names = new VBuffer<ReadOnlyMemory<char>>();
        test.Schema["Label"].GetKeyValues(ref names);
        int rareIndex = names.DenseValues().Select(n => n.ToString()).ToList().IndexOf(FashionMnistSubset.ClassNames[Rare]);
        var recall = metrics.ConfusionMatrix.PerClassRecall[rareIndex];
        TestContext.Current.TestOutputHelper?.WriteLine($"{balancing} seed {seed}: rare recall {recall:F3}, accuracy {metrics.MicroAccuracy:F3}, macro {metrics.MacroAccuracy:F3}");
        return recall;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Resampling_raises_the_recall_of_a_rare_class(int seed)
    {
        double none = RareRecall(ClassBalancing.None, seed);
        double resampled = RareRecall(ClassBalancing.Resampling, seed);
        RareRecall(ClassBalancing.LossWeights, seed);   // logged for the docs
        Assert.True(resampled > none + 0.1, $"rare-class recall: resampling {resampled:F3} vs none {none:F3}");
    }

    [Fact]
    public void Resampling_works_with_staged_training_augmentation_and_the_binary_classifier()
    {
        var ml = new MLContext(5);
        var rows = FashionData.Rows(train: true, 40, 1).Concat(FashionData.Rows(train: true, 6, 8))
            .Select(r => new BinaryRow { Pixels = r.Pixels.Select(b => (float)b).ToArray(), Label = r.Label == FashionMnistSubset.ClassNames[8] })
            .ToList();
        var train = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", Strategy = TransferStrategy.Staged, Epochs = 4, HeadEpochs = 2, ImageSize = 32, BatchSize = 16,
            LearningRate = 3e-3f, ClassBalancing = ClassBalancing.Resampling, Augmentation = ImageAugmentation.AugmentationPolicy.Light, Seed = 5,
        }).Fit(train);

        Assert.Equal(["head", "head", "fine-tune", "fine-tune"], model.History.Select(h => h.Stage));
        var metrics = ml.BinaryClassification.Evaluate(model.Model.Transform(train));
        Assert.True(metrics.AreaUnderRocCurve > 0.9, $"training AUC {metrics.AreaUnderRocCurve:F3}");
    }

    [Fact]
    public void Obsolete_BalanceClasses_means_loss_weights_and_explicit_class_weights_switch_balancing_off()
    {
#pragma warning disable CS0618 // the obsolete switch is what is tested
        Assert.Equal(ClassBalancing.LossWeights, new ImageClassifierOptions { BalanceClasses = true }.EffectiveClassBalancing);
        Assert.Equal(ClassBalancing.Resampling,
            new ImageClassifierOptions { BalanceClasses = true, ClassBalancing = ClassBalancing.Resampling }.EffectiveClassBalancing);
#pragma warning restore CS0618
        Assert.Equal(ClassBalancing.None,
            new ImageClassifierOptions { ClassBalancing = ClassBalancing.Resampling, ClassWeights = [1f, 2f] }.EffectiveClassBalancing);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new MLContext(1).MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions { ClassBalancing = (ClassBalancing)7 }));
    }

    [Fact]
    public void Resampling_data_larger_than_MaxInMemoryBytes_fails_with_a_message_naming_the_option()
    {
        var ml = new MLContext(1);
        var raw = FashionData.Pixels(ml, train: true, 10, 1, 8);
        var train = FashionData.LabelToKey(ml, raw).Transform(raw);
        var trainer = ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", Strategy = TransferStrategy.FineTune, Epochs = 1, ImageSize = 32,
            ClassBalancing = ClassBalancing.Resampling, MaxInMemoryBytes = 10_000, Seed = 1,
        });

        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(train));
        Assert.Contains("MaxInMemoryBytes", error.Message);
    }

    private sealed class BinaryRow
    {
        [VectorType(28 * 28)]
        public float[] Pixels { get; set; } = [];

        public bool Label { get; set; }
    }
}
