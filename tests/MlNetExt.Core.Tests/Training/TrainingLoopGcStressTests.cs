using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.Tests.Shared;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Training;

/// <summary>The training loop and every optimizer under forced garbage collection: no crash, and no Scalar left to the
/// finalizer (TorchSharp's own Adam / AdamW / SGD steps leave several per parameter and step).</summary>
[Collection(nameof(GcStressCollection))]
[Trait("Category", "GcStress")]
public class TrainingLoopGcStressTests
{
    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Sgd)]
    public void Several_trainings_under_forced_collections_leave_no_Scalar_to_the_finalizer(OptimizerKind optimizer)
    {
        var ml = new MLContext(seed: 1);
        var data = LinearRegressionData.Load(ml, 256);
        var report = GcStress.Run(fits: 3, fit =>
        {
            var options = new NeuralTrainerOptions
            {
                Epochs = 8, BatchSize = 16, LearningRate = 0.05f, Optimizer = optimizer, WeightDecay = 1e-3f, GradientClipNorm = 5f,
                LearningRateSchedule = LearningRateSchedule.OneCycle, Seed = fit,
            };
            var loop = new NeuralTrainingLoop(ml, options, "gc-stress");
            loop.SeedTorch();
            using var model = nn.Sequential(("0", nn.Linear(2, 16)), ("1", nn.Tanh()), ("2", nn.Linear(16, 1)));
            using var train = DataViewTensorSource.Create(data, LinearRegressionData.Columns, cancellationToken: TestContext.Current.CancellationToken);
            var result = loop.Train(model, train, null, b => LinearRegressionData.MeanSquaredError(model, b));
            Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss);
        });
        Assert.Equal(3, report.Fits);
        Assert.Equal(0, report.FinalizedScalars);
    }
}
