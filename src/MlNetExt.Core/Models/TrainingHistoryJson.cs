using MlNetExt.Core.Training;

namespace MlNetExt.Core.Models;

/// <summary>Writes a <see cref="TrainingHistory"/> as the JSON of the <c>mlnetext.history</c> metadata and reads it back.</summary>
internal static class TrainingHistoryJson
{
    public static string Write(TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return MetadataJson.Serialize(new HistoryDto(history.Stages.Select(s => new StageDto(
            s.Stage, s.EpochsRun, s.BestEpoch, s.BestValidationLoss, s.StoppedEarly,
            s.History.Select(e => new EpochDto(e.Epoch, e.TotalEpochs, e.TrainLoss, e.ValidationLoss, e.LearningRate,
                e.Elapsed.TotalSeconds, new SortedDictionary<string, double>(e.Metrics.ToDictionary(), StringComparer.Ordinal))).ToArray())).ToArray()));
    }

    public static TrainingHistory Read(string json)
    {
        var dto = MetadataJson.Deserialize<HistoryDto>(json, OnnxModelMetadata.History);
        return new TrainingHistory((dto.Stages ?? []).Select(s =>
        {
            var epochs = (s.Epochs ?? []).Select(e => new TrainingProgress(s.Stage ?? "", e.Epoch, e.TotalEpochs, e.TrainLoss,
                e.ValidationLoss, e.LearningRate, Seconds(e.ElapsedSeconds),
                (IReadOnlyDictionary<string, double>?)e.Metrics ?? new Dictionary<string, double>())).ToArray();
            return new TrainingResult(s.Stage ?? "", epochs, s.EpochsRun, s.BestEpoch, s.BestValidationLoss, s.StoppedEarly);
        }));
    }

    /// <summary>Seconds back to a time span, rounded to the nearest tick, so a written span reads back exactly.</summary>
    private static TimeSpan Seconds(double seconds) => TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    private sealed record HistoryDto(StageDto[]? Stages);

    private sealed record StageDto(string? Stage, int EpochsRun, int BestEpoch, double? BestValidationLoss, bool StoppedEarly,
        EpochDto[]? Epochs);

    private sealed record EpochDto(int Epoch, int TotalEpochs, double TrainLoss, double? ValidationLoss, double LearningRate,
        double ElapsedSeconds, SortedDictionary<string, double>? Metrics);
}
