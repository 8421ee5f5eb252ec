using System.Globalization;
using System.Text;

namespace MlNetExt.Core.Training;

/// <summary>Writes the start, every epoch and the end of training to the MLContext's log.</summary>
public sealed class LoggingCallback : ITrainingCallback
{
    /// <inheritdoc />
    public void OnTrainBegin(TrainingContext context)
    {
        var data = context.TrainData;
        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"Stage '{context.Stage}': {context.TotalEpochs} epochs of {context.BatchesPerEpoch} batches over {data.RowCount} rows "
            + $"({(data.IsInMemory ? "in memory" : "streamed")}), {context.Options.Optimizer} at learning rate {context.Options.LearningRate:G4} "
            + $"({context.Options.LearningRateSchedule}), {context.Parameters.Count} parameter tensors, device {context.Device.type}, seed {context.Seed}."));
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext context, TrainingProgress progress)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Stage '{progress.Stage}' epoch {progress.Epoch}/{progress.TotalEpochs}: train loss {progress.TrainLoss:G6}");
        if (progress.ValidationLoss is double validation)
            text.Append(CultureInfo.InvariantCulture, $", validation loss {validation:G6}");
        foreach (var (name, value) in progress.Metrics)
            text.Append(CultureInfo.InvariantCulture, $", {name} {value:G6}");
        text.Append(CultureInfo.InvariantCulture, $", learning rate {progress.LearningRate:G4}, elapsed {progress.Elapsed.TotalSeconds:F1} s.");
        context.Log(text.ToString());
    }

    /// <inheritdoc />
    public void OnTrainEnd(TrainingContext context, TrainingResult result)
    {
        var stop = result.StoppedEarly ? $" Stopped early ({context.StopReason})." : "";
        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"Stage '{context.Stage}' finished after {result.EpochsRun} epochs; the module holds the weights of epoch {result.BestEpoch}.{stop}"));
    }
}
