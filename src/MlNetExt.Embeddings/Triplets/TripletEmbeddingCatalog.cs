using MlNetExt.Core;
using Microsoft.ML;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>The triplet-loss featurizer as an extension of <see cref="TransformsCatalog"/>.</summary>
public static class TripletEmbeddingCatalog
{
    /// <summary>Trains an L2-normalised embedding of a float vector column by triplet loss.</summary>
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
    /// <param name="inputColumnName">A known-size float vector column.</param>
    /// <param name="labelColumnName">The identity label column.</param>
    /// <param name="embeddingDimension">Embedding dimension.</param>
    /// <returns>The estimator.</returns>
    public static TripletEmbeddingEstimator TripletEmbedding(this TransformsCatalog catalog, string outputColumnName = "Embedding",
        string inputColumnName = "Features", string labelColumnName = "Label", int embeddingDimension = 128) =>
        TripletEmbedding(catalog, new TripletEmbeddingOptions
        {
            OutputColumnName = outputColumnName, InputColumnName = inputColumnName, LabelColumnName = labelColumnName,
            EmbeddingDimension = embeddingDimension,
        });
}
