using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Embeddings.Tests.Cca;
using MlNetExt.Embeddings.Tests.Triplets;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;
using MlNetExt.ImageAugmentation;
using MlNetExt.Samples.Data;
using MlNetExt.Tests.Shared;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Reliability;

/// <summary>
/// Several fits of the triplet-embedding (vector and image input) and deep-CCA trainers in one process while another thread
/// forces garbage collection and finalizers in a loop: no crash, and no TorchSharp Scalar left to the finalizer.
/// </summary>
[Collection(nameof(GcStressCollection))]
[Trait("Category", "GcStress")]
public class EmbeddingsGcStressTests(ITestOutputHelper output)
{
    private static readonly EmbeddingDistance[] Distances = [EmbeddingDistance.Euclidean, EmbeddingDistance.Cosine, EmbeddingDistance.SquaredEuclidean];
    private static readonly TripletMining[] Minings = [TripletMining.BatchHard, TripletMining.SemiHard, TripletMining.All];

    [Fact]
    public void Vector_triplet_fits_survive_forced_collections()
    {
        var ml = new MLContext(1);
        var random = new Random(1);
        var x = Enumerable.Range(0, 120).Select(i => Enumerable.Range(0, 10).Select(j => (float)(random.NextDouble() + (j == i % 6 ? 2 : 0))).ToArray()).ToArray();
        var y = Enumerable.Range(0, 120).Select(i => "c" + i % 6).ToArray();
        var data = EmbeddingData.Labelled(ml, x, y);
        var report = GcStress.Run(fits: 3, fit =>
        {
            var model = ml.Transforms.TripletEmbedding(new TripletEmbeddingOptions
            {
                FeatureColumnName = "Embedding", OutputColumnName = "Learned", EmbeddingDimension = 8, HiddenLayers = [16], Epochs = 3, ClassesPerBatch = 6,
                ExamplesPerClass = 4, Distance = Distances[fit], Mining = Minings[fit],
                Reduction = fit == 2 ? TripletReduction.All : TripletReduction.NonZero, Seed = fit,
                ValidationSet = data, EarlyStopping = new EarlyStoppingOptions { Patience = 2 },
            }).Fit(data);
            Assert.NotNull(model.Transform(data).Schema.GetColumnOrNull("Learned"));
        });
        output.WriteLine(report.ToString());
        Assert.Equal(0, report.FinalizedScalars);
    }

    [Fact]
    public void Image_triplet_fits_survive_forced_collections()
    {
        var ml = new MLContext(1);
        var data = FashionMnistSubset.LoadTrain().TakePerClass(4).ToDataView(ml);
        var report = GcStress.Run(fits: 2, fit =>
        {
            var options = FashionTripletFixture.Options(epochs: 2);
            options.ClassesPerBatch = 4;
            options.ExamplesPerClass = 2;
            options.Augmentation = fit == 0 ? AugmentationPolicy.Default : AugmentationPolicy.None;
            options.BackboneLearningRateMultiplier = fit == 0 ? 1f : 0f;   // fine-tuned, then frozen backbone
            options.Seed = fit;
            var model = new TripletEmbeddingEstimator(ml, options).Fit(data);
            Assert.NotNull(model.Transform(data).Schema.GetColumnOrNull("Embedding"));
        });
        output.WriteLine(report.ToString());
        Assert.Equal(0, report.FinalizedScalars);
    }

    [Fact]
    public void Deep_cca_fits_survive_forced_collections()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(400, seed: 2);
        var data = EmbeddingData.TwoViews(ml, a, b);
        var report = GcStress.Run(fits: 3, fit =>
        {
            var model = ml.Transforms.DeepCca(new DeepCcaOptions
            {
                Components = 1, EncoderOutputDimension = 3, HiddenLayers = [16], BatchSize = 100, Epochs = 4, Seed = fit,
                Activation = (ActivationKind)(fit % 6), FullBatch = fit == 2, ValidationFraction = 0.2f,
                Optimizer = (OptimizerKind)fit,
            }).Fit(data);
            Assert.Single(model.CanonicalCorrelations);
        });
        output.WriteLine(report.ToString());
        Assert.Equal(0, report.FinalizedScalars);
    }
}
