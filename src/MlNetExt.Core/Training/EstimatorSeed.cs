using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MlNetExt.Core.Training;

/// <summary>
/// Resolves an MlNetExt estimator's seed when the estimator is constructed, as ML.NET's own trainers do: the options'
/// seed when set, else a value drawn from the MLContext's random source. Fit then uses that seed, so two estimators
/// created in the order A, B give the same models whichever is fitted first, and fitting one estimator twice gives the
/// same model.
/// </summary>
public static class EstimatorSeed
{
    /// <summary>The seed to train with: <paramref name="seed"/> when set, else one drawn from <paramref name="context"/>.</summary>
    /// <param name="context">The ML.NET context (<c>new MLContext(seed)</c> makes the drawn values reproducible).</param>
    /// <param name="seed">The options' seed, if any.</param>
    /// <param name="componentName">The estimator's name (the host registered for the draw).</param>
    public static int Resolve(MLContext context, int? seed, string componentName)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(componentName);
        return seed ?? ((IHostEnvironment)context).Register(componentName).Rand.Next();
    }
}
