using Microsoft.ML;
using MlNetExt.Core.Training;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Training;

public class StopTokenTests
{
    [Fact]
    public void Stop_token_ends_training_after_the_current_batch_and_keeps_the_best_weights()
    {
        var ml = new MLContext(seed: 11);
        using var stop = new CancellationTokenSource();
        var batches = 0;
        var options = new NeuralTrainerOptions
        {
            Epochs = 100, BatchSize = 8, LearningRate = 0.02f, StopToken = stop.Token,
            BatchProgress = _ => { if (++batches == 37) stop.Cancel(); },   // 16 batches per epoch: the 5th batch of epoch 3
        };
        var loop = new NeuralTrainingLoop(ml, options, "test");
        loop.SeedTorch();
        var model = nn.Linear(2, 1);
        var token = TestContext.Current.CancellationToken;
        using var train = DataViewTensorSource.Create(LinearRegressionData.Load(ml, 128), LinearRegressionData.Columns, cancellationToken: token);
        using var validation = DataViewTensorSource.Create(LinearRegressionData.Load(ml, 64, seed: 8), LinearRegressionData.Columns, cancellationToken: token);

        var result = loop.Train(model, train, validation, b => LinearRegressionData.MeanSquaredError(model, b));

        Assert.Equal(37, batches);
        Assert.Equal(3, result.EpochsRun);
        Assert.True(result.StoppedEarly);
        Assert.Equal(result.History.Select(h => h.ValidationLoss!.Value).Min(), result.BestValidationLoss!.Value);
        Assert.Equal(result.BestValidationLoss.Value, ValidationLoss(model, validation), 5);

        var next = loop.Train(model, train, validation, b => LinearRegressionData.MeanSquaredError(model, b), stage: "second");

        Assert.Equal(37, batches);
        Assert.Equal(0, next.EpochsRun);
        Assert.True(next.StoppedEarly);
    }

    [Fact]
    public void Batch_progress_reports_every_batch_in_order()
    {
        var ml = new MLContext(seed: 12);
        var reports = new List<TrainingBatchProgress>();
        var options = new NeuralTrainerOptions { Epochs = 2, BatchSize = 32, BatchProgress = reports.Add };
        var loop = new NeuralTrainingLoop(ml, options, "test");
        loop.SeedTorch();
        var model = nn.Linear(2, 1);
        using var train = DataViewTensorSource.Create(LinearRegressionData.Load(ml, 100), LinearRegressionData.Columns,
            cancellationToken: TestContext.Current.CancellationToken);

        loop.Train(model, train, null, b => LinearRegressionData.MeanSquaredError(model, b));

        Assert.Equal(8, reports.Count);
        Assert.Equal([1, 2, 3, 4, 1, 2, 3, 4], reports.Select(r => r.Batch));
        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2], reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.Equal(4, r.BatchesPerEpoch));
        Assert.Equal(200, reports.Sum(r => r.Rows));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Loss) && r.Loss > 0));
    }

    private static double ValidationLoss(nn.Module<Tensor, Tensor> model, DataViewTensorSource validation)
    {
        double sum = 0;
        long rows = 0;
        using var noGrad = no_grad();
        foreach (var batch in validation.GetBatches(8, shuffle: false, seed: 0, CPU))
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                sum += LinearRegressionData.MeanSquaredError(model, batch).item<float>() * batch.Count;
                rows += batch.Count;
            }
        }
        return sum / rows;
    }
}
