using Microsoft.ML;
using MlNetExt.Embeddings.Triplets;
using MlNetExt.Samples.Data;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;

namespace MlNetExt.Embeddings.Tests.Triplets;

/// <summary>
/// Trains an image triplet embedding once (SmallCnn on 28 px Fashion-MNIST images) and its untrained baseline (Epochs = 0,
/// same seed, same initial weights); held-out rows are test-set images never seen in training.
/// </summary>
public sealed class FashionTripletFixture
{
    public const int TrainPerClass = 120;
    public const int HeldOutPerClass = 30;

    public FashionTripletFixture()
    {
        Ml = new MLContext(1);
        TrainImages = FashionMnistSubset.LoadTrain().TakePerClass(TrainPerClass);
        HeldOutImages = FashionMnistSubset.LoadTest().TakePerClass(HeldOutPerClass);
        Train = TrainImages.ToDataView(Ml);
        HeldOut = HeldOutImages.ToDataView(Ml);
        var started = DateTime.UtcNow;
        var options = Options(epochs: 10);
        options.ValidationSet = HeldOut;   // reported per epoch only (no early stopping), so the weights do not depend on it
        Trained = new TripletEmbeddingEstimator(Ml, options).Fit(Train);
        TrainSeconds = (DateTime.UtcNow - started).TotalSeconds;
        Untrained = new TripletEmbeddingEstimator(Ml, Options(epochs: 0)).Fit(Train);
    }

    public MLContext Ml { get; }

    public FashionMnistSubset TrainImages { get; }

    public FashionMnistSubset HeldOutImages { get; }

    public IDataView Train { get; }

    public IDataView HeldOut { get; }

    public TripletEmbeddingModel Trained { get; }

    public TripletEmbeddingModel Untrained { get; }

    public double TrainSeconds { get; }

    /// <summary>A small from-scratch CNN: fast on 2 CPU cores.</summary>
    public static ImageBackbone SmallCnn() => ImageBackbone.FromScratch("small_cnn", new SmallCnnOptions { Channels = new[] { 16, 32, 64 } });

    public static TripletEmbeddingOptions Options(int epochs) => new()
    {
        FeatureColumnName = "Image",
        LabelColumnName = "Label",
        OutputColumnName = "Embedding",
        Backbone = SmallCnn(),
        ImageSize = 28,
        EmbeddingDimension = 32,
        BackboneLearningRateMultiplier = 1f,
        Mining = TripletMining.SemiHard,
        Epochs = epochs,
        LearningRate = 2e-3f,
        Seed = 7,
    };
}
