using System.Collections;

namespace MlNetExt.Core.Training;

/// <summary>
/// The training history of a fitted model: every epoch of every stage, in order, and the stages themselves. One type for
/// every MlNetExt trainer; it travels inside the model's ONNX metadata (<c>mlnetext.history</c>), so a model loaded with
/// <c>mlContext.DeepLearning().Model.Load</c> has it too.
/// </summary>
/// <remarks>Immutable; safe to read from several threads.</remarks>
public sealed class TrainingHistory : IReadOnlyList<TrainingProgress>
{
    private readonly TrainingProgress[] _epochs;

    /// <summary>A history of the given stages.</summary>
    /// <param name="stages">The stages in the order they ran (one per <see cref="NeuralTrainingLoop.Train"/> call).</param>
    public TrainingHistory(IEnumerable<TrainingResult> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        Stages = stages.Select(s => s ?? throw new ArgumentException("A stage is null.", nameof(stages))).ToArray();
        _epochs = Stages.SelectMany(s => s.History).ToArray();
    }

    /// <summary>A history without stages (for example of a closed-form model such as linear CCA).</summary>
    public static TrainingHistory Empty { get; } = new([]);

    /// <summary>The stages, one per <see cref="NeuralTrainingLoop.Train"/> call, in the order they ran.</summary>
    public IReadOnlyList<TrainingResult> Stages { get; }

    /// <summary>The 1-based epoch of the last stage whose weights the model holds; 0 without stages.</summary>
    public int BestEpoch => Stages.Count == 0 ? 0 : Stages[^1].BestEpoch;

    /// <summary>Whether early stopping ended the last stage before its requested number of epochs.</summary>
    public bool StoppedEarly => Stages.Count > 0 && Stages[^1].StoppedEarly;

    /// <summary>The lowest validation loss of the last stage, or null without validation data (or stages).</summary>
    public double? BestValidationLoss => Stages.Count == 0 ? null : Stages[^1].BestValidationLoss;

    /// <summary>The number of epochs over all stages.</summary>
    public int Count => _epochs.Length;

    /// <summary>The <paramref name="index"/>-th epoch over all stages (0-based).</summary>
    /// <param name="index">The 0-based epoch index over all stages.</param>
    public TrainingProgress this[int index] => _epochs[index];

    /// <inheritdoc />
    public IEnumerator<TrainingProgress> GetEnumerator() => ((IEnumerable<TrainingProgress>)_epochs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
