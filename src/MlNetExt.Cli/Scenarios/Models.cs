using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Cli.Scenarios;

/// <summary>Finds the MlNetExt model inside a pipeline loaded with <c>dl.Model.Load</c>.</summary>
internal static class Models
{
    /// <summary>The first transformer of type <typeparamref name="T"/> in <paramref name="model"/> (searching nested chains), or null.</summary>
    public static T? Find<T>(ITransformer model) where T : class, ITransformer
    {
        if (model is T found)
            return found;
        if (model is IEnumerable<ITransformer> chain)
            foreach (var part in chain)
                if (Find<T>(part) is T inner)
                    return inner;
        return null;
    }
}
