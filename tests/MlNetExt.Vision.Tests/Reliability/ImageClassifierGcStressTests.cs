using Microsoft.ML;
using MlNetExt.ImageAugmentation;
using MlNetExt.Tests.Shared;
using MlNetExt.Vision.Classification;
using MlNetExt.Vision.Tests.Classification;
using Xunit;

namespace MlNetExt.Vision.Tests.Reliability;

/// <summary>
/// Several image-classifier fits on tiny 32 px images in one process while another thread forces garbage collection and
/// finalizers in a loop: no crash, and no TorchSharp Scalar left to the finalizer. Covers the shipped MobileNetV2 (batch
/// norm in training mode, ReLU6, residual adds), the small CNN trained from scratch, cached features, augmentation and
/// class weights.
/// </summary>
[Collection(nameof(GcStressCollection))]
[Trait("Category", "GcStress")]
public class ImageClassifierGcStressTests(ITestOutputHelper output)
{
    private static readonly int[] Classes = [0, 1, 8];

    private static IDataView Images(MLContext ml)
    {
        var images = FashionData.Images(ml, train: true, perClass: 4, Classes);
        return FashionData.LabelToKey(ml, images).Transform(images);
    }

    [Fact]
    public void Frozen_fits_survive_forced_collections()
    {
        var ml = new MLContext(1);
        var data = Images(ml);
        var report = GcStress.Run(fits: 2, fit =>
        {
            var options = new ImageClassifierOptions
            {
                Strategy = TransferStrategy.Frozen, Epochs = 2, ImageSize = 32, BatchSize = 4, Seed = fit,
                // without augmentation the features are cached once; with it every batch is augmented and encoded
                Augmentation = fit == 1 ? AugmentationPolicy.None : AugmentationPolicy.Strong,
                ClassBalancing = fit == 1 ? ClassBalancing.LossWeights : ClassBalancing.None, LabelSmoothing = 0.1f,
                ValidationFraction = 0.25f,
            };
            var model = ml.MulticlassClassification.Trainers.ImageClassifier(options).Fit(data);
            Assert.NotNull(model.Transform(data).Schema.GetColumnOrNull("PredictedLabel"));
        });
        output.WriteLine(report.ToString());
        Assert.Equal(0, report.FinalizedScalars);
    }

    [Fact]
    public void Fine_tune_fits_survive_forced_collections()
    {
        var ml = new MLContext(1);
        var data = Images(ml);
        var report = GcStress.Run(fits: 2, fit =>
        {
            var options = new ImageClassifierOptions
            {
                Strategy = fit == 1 ? TransferStrategy.Staged : TransferStrategy.FineTune, Epochs = 2, ImageSize = 32, BatchSize = 4,
                Seed = fit, Augmentation = AugmentationPolicy.Default, GradientClipNorm = 5f,
                Backbone = fit == 1 ? ImageBackbone.FromScratch("small_cnn") : ImageBackbone.Default,
            };
            var model = ml.MulticlassClassification.Trainers.ImageClassifier(options).Fit(data);
            Assert.NotNull(model.Transform(data).Schema.GetColumnOrNull("PredictedLabel"));
        });
        output.WriteLine(report.ToString());
        Assert.Equal(0, report.FinalizedScalars);
    }
}
