using TorchSharp.Modules;

namespace MlNetExt.Core.Training;

/// <summary>Parameters trained with their own learning-rate multiplier (for example a backbone fine-tuned at a lower rate).</summary>
public sealed class ParameterGroup
{
    /// <summary>Creates a group.</summary>
    /// <param name="p">The parameters.</param>
    /// <param name="learningRateMultiplier">Multiplies the (scheduled) learning rate for these parameters.</param>
    public ParameterGroup(IEnumerable<Parameter> p, float learningRateMultiplier = 1f)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (!(learningRateMultiplier >= 0f) || float.IsInfinity(learningRateMultiplier))
            throw new ArgumentOutOfRangeException(nameof(learningRateMultiplier),
                $"The learning-rate multiplier must be a finite number >= 0; found {learningRateMultiplier}.");
        Parameters = p.ToArray();
        LearningRateMultiplier = learningRateMultiplier;
    }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Multiplies the learning rate for these parameters.</summary>
    public float LearningRateMultiplier { get; }
}
