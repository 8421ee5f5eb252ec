using MlNetExt.Core;
using Microsoft.ML;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>The triplet-loss featurizer as an extension of <see cref="TransformsCatalog"/>.</summary>
public static class TripletEmbeddingCatalog
{
    /// <summary>
    /// Trains an L2-normalised embedding by triplet loss: of an MLImage column or raw pixel vector (an image encoder,
    /// <see cref="TripletEmbeddingOptions.Backbone"/> plus a projection head) or of a float vector column (an MLP).
    /// </summary>
    /// <remarks>
    /// A convenience shortcut: the estimator runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it, and log messages such as collapse warnings go to that private
    /// context.
    /// <c>mlContext.DeepLearning().Transforms.TripletEmbedding(...)</c> uses your MLContext: its seed, log and GPU settings.
    /// </remarks>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Columns, network, loss and training options.</param>
    /// <returns>The estimator.</returns>
    public static TripletEmbeddingEstimator TripletEmbedding(this TransformsCatalog catalog, TripletEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new TripletEmbeddingEstimator(CatalogContext.For(options.Seed), options);
    }

    /// <summary>Trains an L2-normalised embedding of a float vector column by triplet loss.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The embedding column.</param>
    /// <param name="inputColumnName">A known-size numeric vector column (Single, Double, an integer type or Boolean).</param>
    /// <param name="labelColumnName">The identity label column.</param>
    /// <param name="embeddingDimension">Embedding dimension.</param>
    /// <returns>The estimator.</returns>
    /// <remarks>A convenience shortcut: the estimator runs under a private MLContext seeded by the options'
    /// <see cref="MlNetExt.Core.Training.NeuralTrainerOptions.Seed"/> (0 when unset), so your context's seed,
    /// <c>mlContext.Log</c> and GPU settings do not reach it. <c>mlContext.DeepLearning().Transforms.TripletEmbedding(...)</c>
    /// uses your MLContext: its seed, log and GPU settings.</remarks>
    public static TripletEmbeddingEstimator TripletEmbedding(this TransformsCatalog catalog, string outputColumnName = "Embedding",
        string inputColumnName = "Features", string labelColumnName = "Label", int embeddingDimension = 128) =>
        TripletEmbedding(catalog, new TripletEmbeddingOptions
        {
            OutputColumnName = outputColumnName, FeatureColumnName = inputColumnName, LabelColumnName = labelColumnName,
            EmbeddingDimension = embeddingDimension,
        });
}
