using Microsoft.ML;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Cca;
using Xunit;

namespace MlNetExt.Embeddings.Tests.Cca;

/// <summary>Deep CCA trains through Core's loop: the options every MlNetExt trainer has work here too.</summary>
public class DeepCcaTrainingOptionsTests
{
    [Fact]
    public void Progress_schedule_weight_decay_and_early_stopping_apply_to_deep_cca()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(300, seed: 81);
        var reports = new List<TrainingProgress>();
        var options = CcaContextTests.Small();
        options.Epochs = 40;
        options.LearningRate = 1e-6f;   // next to nothing changes: the validation loss stops improving at once
        options.Optimizer = OptimizerKind.Sgd;
        options.WeightDecay = 1e-4f;
        options.LearningRateSchedule = LearningRateSchedule.Cosine;
        options.ValidationFraction = 0.3f;
        options.EarlyStopping = new EarlyStoppingOptions { Patience = 2, MinDelta = 1e-3 };
        options.Progress = reports.Add;

        var model = ml.DeepLearning().Transforms.DeepCca(options).Fit(EmbeddingData.TwoViews(ml, a, b));

        Assert.True(model.History.StoppedEarly);
        Assert.True(model.History.Count < 40, $"{model.History.Count} epochs");
        Assert.Equal(model.History.Select(h => h.Epoch), reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.NotNull(r.ValidationLoss));
    }

    [Fact]
    public void A_cancelled_token_stops_deep_cca()
    {
        var ml = new MLContext(1);
        var (a, b) = CcaTestData.NonLinear(200, seed: 82);
        using var cancel = new CancellationTokenSource();
        var options = CcaContextTests.Small();
        options.Epochs = 1000;
        options.CancellationToken = cancel.Token;
        options.Progress = p => { if (p.Epoch == 2) cancel.Cancel(); };

        Assert.ThrowsAny<OperationCanceledException>(() => ml.DeepLearning().Transforms.DeepCca(options).Fit(EmbeddingData.TwoViews(ml, a, b)));
    }
}
