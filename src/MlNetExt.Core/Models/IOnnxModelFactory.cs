using Microsoft.ML;

namespace MlNetExt.Core.Models;

/// <summary>
/// Implemented by every MlNetExt model type so that <c>mlContext.DeepLearning().Model.Load</c> can give it back from a
/// saved model: <see cref="OnnxModelKind"/> is the <c>mlnetext.model</c> value the type's exported graphs carry, and
/// <see cref="Restore"/> rebuilds the typed model from the parts read back.
/// </summary>
/// <typeparam name="TSelf">The model type.</typeparam>
public interface IOnnxModelFactory<TSelf> where TSelf : OnnxModelTransformer, IOnnxModelFactory<TSelf>
{
    /// <summary>The <c>mlnetext.model</c> metadata value of this type's models (for example "count_regression").</summary>
    static abstract string OnnxModelKind { get; }

    /// <summary>Rebuilds the typed model from a saved one.</summary>
    /// <param name="context">The ML.NET context the model is loaded with.</param>
    /// <param name="parts">The loaded scoring chain, its ONNX model and the metadata.</param>
    /// <exception cref="InvalidDataException">The metadata are missing or not valid.</exception>
    static abstract TSelf Restore(MLContext context, RestoredOnnxModel parts);
}
