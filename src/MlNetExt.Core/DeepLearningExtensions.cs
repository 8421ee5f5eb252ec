using Microsoft.ML;

namespace MlNetExt;

/// <summary>The <c>DeepLearning()</c> entry point on <see cref="MLContext"/>.</summary>
public static class DeepLearningExtensions
{
    /// <summary>
    /// MlNetExt's catalog for <paramref name="context"/>: every MlNetExt trainer, transform, data operation, evaluator and
    /// the model loader, using the context's seed, log and GPU settings.
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <returns>The catalog (cheap to create; it only holds the context).</returns>
    public static DeepLearningCatalog DeepLearning(this MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DeepLearningCatalog(context);
    }
}
