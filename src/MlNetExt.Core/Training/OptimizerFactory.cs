namespace MlNetExt.Core.Training;

/// <summary>Builds the optimizer the options ask for (MlNetExt's own, see <see cref="ParameterOptimizer"/>), one
/// <see cref="OptimizerGroup"/> per <see cref="ParameterGroup"/>.</summary>
internal static class OptimizerFactory
{
    public static ParameterOptimizer Create(NeuralTrainerOptions options, IReadOnlyList<ParameterGroup> groups)
    {
        double lr = options.LearningRate;
        double decay = options.WeightDecay;
        var optimizerGroups = groups.Select(g => new OptimizerGroup(g.Parameters, lr * g.LearningRateMultiplier)).ToArray();
        return options.Optimizer switch
        {
            OptimizerKind.Adam => new AdamOptimizer(optimizerGroups, decay, decoupledWeightDecay: false),
            OptimizerKind.AdamW => new AdamOptimizer(optimizerGroups, decay, decoupledWeightDecay: true),
            OptimizerKind.Sgd => new SgdOptimizer(optimizerGroups, options.Momentum, decay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), $"Unknown optimizer {options.Optimizer}."),
        };
    }
}
