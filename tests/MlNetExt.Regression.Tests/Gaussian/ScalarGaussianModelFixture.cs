using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Regression.Gaussian;

namespace MlNetExt.Regression.Tests.Gaussian;

/// <summary>One NeuralGaussian model trained on scalar heteroscedastic data, shared by the tests that inspect it.</summary>
public sealed class ScalarGaussianModelFixture
{
    public ScalarGaussianModelFixture()
    {
        // Small networks train faster on one thread, and the test machine is shared.
        TorchSharp.torch.set_num_threads(1);
        Context = new MLContext(seed: 7);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        TrainRows = HeteroscedasticData.Scalar(1500, seed: 1);
        TestRows = HeteroscedasticData.Scalar(2000, seed: 2);
        TrainData = Context.Data.LoadFromEnumerable(TrainRows);
        TestData = Context.Data.LoadFromEnumerable(TestRows);
        var trainer = Context.Regression.Trainers.NeuralGaussian(Options());
        (Model, Network) = trainer.FitWithNetwork(TrainData);
        TrainingTime = stopwatch.Elapsed;
    }

    internal static NeuralGaussianOptions Options() => new()
    {
        Epochs = 30,
        MeanWarmupEpochs = 5,
        BatchSize = 64,
        LearningRate = 3e-3f,
        HiddenLayers = [32, 32],
        Beta = 0.5f,
    };

    public MLContext Context { get; }
    internal HeteroscedasticData.ScalarRow[] TrainRows { get; }
    internal HeteroscedasticData.ScalarRow[] TestRows { get; }
    public IDataView TrainData { get; }
    public IDataView TestData { get; }
    public NeuralGaussianTransformer Model { get; }
    internal GaussianNetwork Network { get; }
    public TimeSpan TrainingTime { get; }
}
