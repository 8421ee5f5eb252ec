using Microsoft.ML;
using MlNetExt.Core.Training;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Training;

/// <summary>torch's default generator is process-wide: tests that compare two seeded runs must not share it with
/// tests running in parallel.</summary>
[CollectionDefinition(nameof(TorchGlobalRandomCollection), DisableParallelization = true)]
public sealed class TorchGlobalRandomCollection;

[Collection(nameof(TorchGlobalRandomCollection))]
public class ReproducibilityTests
{
    [Fact]
    public void Same_seed_gives_bit_identical_weights()
    {
        float[][] Run()
        {
            var ml = new MLContext(seed: 42);
            var options = new NeuralTrainerOptions { Epochs = 5, BatchSize = 16, LearningRate = 0.01f, ValidationFraction = 0.2f };
            var loop = new NeuralTrainingLoop(ml, options, "repro");
            loop.SeedTorch();
            var model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Dropout(0.2), nn.Linear(8, 1));
            var (train, validation) = TrainingDataSplit.Create(ml, LinearRegressionData.Load(ml, 200), options,
                LinearRegressionData.Columns, loop.Seed);
            loop.Train(model, train, validation, b => nn.functional.mse_loss(model.forward(b["Features"]), b["Label"]));
            return model.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        }

        var first = Run();
        var second = Run();

        Assert.Equal(first.Length, second.Length);
        for (var i = 0; i < first.Length; i++)
            Assert.Equal(first[i], second[i]);   // exact float equality, element by element
    }
}
