using TorchSharp.Modules;

namespace MlNetExt.Core.Training;

/// <summary>Parameters an <see cref="ParameterOptimizer"/> updates with one learning rate (set before every step).</summary>
internal sealed class OptimizerGroup
{
    public OptimizerGroup(IReadOnlyList<Parameter> parameters, double learningRate)
    {
        Parameters = parameters;
        LearningRate = learningRate;
    }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The learning rate of the next step.</summary>
    public double LearningRate { get; set; }
}
