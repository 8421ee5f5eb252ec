using System.Collections;
using MlNetExt.Core.Training;

namespace MlNetExt.Cli.Runs;

/// <summary>One training stage of a run: how many epochs ran and which one the model holds.</summary>
internal sealed record StageSummary(string Stage, int EpochsRun, int BestEpoch, double? BestValidationLoss, bool StoppedEarly);

/// <summary>
/// The epochs of a run (history.csv, the report's curves): the model's own <see cref="TrainingHistory"/> when it carries
/// one, else the epochs the trainer reported through <c>NeuralTrainerOptions.Progress</c> (for models that do not expose
/// their history), with the best epoch taken as the lowest validation loss of the last stage.
/// </summary>
internal sealed class RunHistory : IReadOnlyList<TrainingProgress>
{
    private readonly TrainingProgress[] _epochs;

    private RunHistory(IEnumerable<TrainingProgress> epochs, IReadOnlyList<StageSummary> stages)
    {
        _epochs = epochs.ToArray();
        Stages = stages;
    }

    public IReadOnlyList<StageSummary> Stages { get; }

    public int BestEpoch => Stages.Count == 0 ? 0 : Stages[^1].BestEpoch;

    public double? BestValidationLoss => Stages.Count == 0 ? null : Stages[^1].BestValidationLoss;

    public bool StoppedEarly => Stages.Count > 0 && Stages[^1].StoppedEarly;

    public int Count => _epochs.Length;

    public TrainingProgress this[int index] => _epochs[index];

    public IEnumerator<TrainingProgress> GetEnumerator() => ((IEnumerable<TrainingProgress>)_epochs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static RunHistory Empty { get; } = new([], []);

    public static RunHistory From(TrainingHistory history) => new(history,
        history.Stages.Select(s => new StageSummary(s.Stage, s.EpochsRun, s.BestEpoch, s.BestValidationLoss, s.StoppedEarly)).ToArray());

    /// <summary>From reported epochs; <paramref name="stoppedByUser"/> tells a Ctrl+C stop from early stopping.</summary>
    public static RunHistory FromEpochs(IReadOnlyList<TrainingProgress> epochs, bool stoppedByUser)
    {
        var stages = new List<StageSummary>();
        int start = 0;
        while (start < epochs.Count)
        {
            int end = start;
            while (end < epochs.Count && epochs[end].Stage == epochs[start].Stage)
                end++;
            var stage = epochs.Skip(start).Take(end - start).ToArray();
            var validated = stage.Where(p => p.ValidationLoss is double v && double.IsFinite(v)).ToArray();
            var best = validated.Length == 0 ? stage[^1] : validated.MinBy(p => p.ValidationLoss!.Value)!;
            bool last = end == epochs.Count;
            stages.Add(new StageSummary(stage[0].Stage, stage.Length, best.Epoch, best.ValidationLoss,
                StoppedEarly: stage[^1].Epoch < stage[^1].TotalEpochs && !(last && stoppedByUser)));
            start = end;
        }
        return new RunHistory(epochs, stages);
    }
}
