using Microsoft.ML;
using MlNetExt.Core.Training;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Training;

public class LearningRateScheduleTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(25, 0.8535533905932737)]     // (1 + cos(pi/4)) / 2
    [InlineData(50, 0.5)]
    [InlineData(75, 0.14644660940672627)]
    [InlineData(99, 0.00024671981713420)]    // (1 + cos(0.99 pi)) / 2
    public void Cosine_follows_half_cosine_to_zero(long step, double expected)
    {
        Assert.Equal(expected, LearningRateScheduler.Multiplier(LearningRateSchedule.Cosine, step, 100), 1e-12);
    }

    [Theory]
    [InlineData(0, 0.04)]                                   // lr / 25
    [InlineData(15, 0.52)]                                  // halfway through warm-up: (0.04 + 1) / 2
    [InlineData(30, 1.0)]                                   // peak after 30% of 100 steps
    [InlineData(99, 1e-4)]                                  // lr / 1e4 at the last step
    public void OneCycle_warms_up_then_anneals(long step, double expected)
    {
        Assert.Equal(expected, LearningRateScheduler.Multiplier(LearningRateSchedule.OneCycle, step, 100), 1e-9);
    }

    [Fact]
    public void OneCycle_anneal_midpoint_is_halfway_between_peak_and_floor()
    {
        // anneal runs from step 30 to step 99 (69 steps); its midpoint is step 64.5, so check the cosine between neighbours
        var at64 = LearningRateScheduler.Multiplier(LearningRateSchedule.OneCycle, 64, 100);
        var at65 = LearningRateScheduler.Multiplier(LearningRateSchedule.OneCycle, 65, 100);
        var expected64 = 1e-4 + (1 - 1e-4) * (1 + Math.Cos(Math.PI * 34 / 69)) / 2;
        Assert.Equal(expected64, at64, 1e-12);
        Assert.True(at64 > (1 + 1e-4) / 2 && at65 < (1 + 1e-4) / 2);
    }

    [Fact]
    public void Constant_stays_at_one()
    {
        Assert.All(new long[] { 0, 10, 99 }, s => Assert.Equal(1.0, LearningRateScheduler.Multiplier(LearningRateSchedule.Constant, s, 100)));
    }

    [Theory]
    [InlineData(LearningRateSchedule.Cosine)]
    [InlineData(LearningRateSchedule.OneCycle)]
    public void Training_steps_the_schedule_once_per_batch_over_all_steps_of_the_call(LearningRateSchedule schedule)
    {
        var ml = new MLContext(seed: 1);
        var options = new NeuralTrainerOptions { Epochs = 4, BatchSize = 10, LearningRate = 0.1f, LearningRateSchedule = schedule };
        var loop = new NeuralTrainingLoop(ml, options, "schedule");
        loop.SeedTorch();
        var model = nn.Linear(2, 1);
        var train = DataViewTensorSource.Create(LinearRegressionData.Load(ml, 95), LinearRegressionData.Columns, cancellationToken: TestContext.Current.CancellationToken);
        var rates = new RateRecorder();

        loop.Train(model, train, null, b => LinearRegressionData.MeanSquaredError(model, b), callbacks: [rates]);

        Assert.Equal(40, rates.Rates.Count);   // 4 epochs x ceil(95 / 10) batches
        for (var step = 0; step < 40; step++)
            Assert.Equal(0.1f * LearningRateScheduler.Multiplier(schedule, step, 40), rates.Rates[step], 1e-7);
        Assert.True(rates.Rates[^1] < 0.01 * rates.Rates.Max());
    }

    private sealed class RateRecorder : ITrainingCallback
    {
        public List<double> Rates { get; } = new();

        public void OnBatchEnd(TrainingContext context, double loss) => Rates.Add(context.LearningRate);
    }
}
