using Microsoft.ML;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Embeddings.Evaluation;
using MlNetExt.Embeddings.Triplets;

namespace MlNetExt;

/// <summary>
/// MlNetExt.Embeddings' entry points on <c>mlContext.DeepLearning()</c>: triplet-loss embeddings, linear and deep CCA,
/// and embedding evaluation. Estimators made here use your MLContext (its log and GPU settings, and its seed when the
/// options set none).
/// </summary>
public static class EmbeddingsDeepLearningExtensions
{
    /// <summary>
    /// Trains an L2-normalised embedding by triplet loss: of an MLImage column or raw pixel vector (an image encoder,
    /// <see cref="TripletEmbeddingOptions.Backbone"/> plus a projection head) or of a float vector column (an MLP).
    /// </summary>
    /// <param name="catalog">The transforms of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="options">Columns, network, loss and training options.</param>
    /// <returns>The estimator.</returns>
    public static TripletEmbeddingEstimator TripletEmbedding(this DeepLearningCatalog.TransformsCatalog catalog, TripletEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new TripletEmbeddingEstimator(catalog.Context, options);
    }

    /// <summary>Trains an L2-normalised embedding of a float vector column by triplet loss.</summary>
    /// <param name="catalog">The transforms of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="outputColumnName">The embedding column.</param>
    /// <param name="inputColumnName">A known-size numeric vector column (Single, Double, an integer type or Boolean).</param>
    /// <param name="labelColumnName">The identity label column.</param>
    /// <param name="embeddingDimension">Embedding dimension.</param>
    /// <returns>The estimator.</returns>
    public static TripletEmbeddingEstimator TripletEmbedding(this DeepLearningCatalog.TransformsCatalog catalog,
        string outputColumnName = "Embedding", string inputColumnName = "Features", string labelColumnName = "Label", int embeddingDimension = 128)
        => TripletEmbedding(catalog, new TripletEmbeddingOptions
        {
            OutputColumnName = outputColumnName, FeatureColumnName = inputColumnName, LabelColumnName = labelColumnName,
            EmbeddingDimension = embeddingDimension,
        });

    /// <summary>Closed-form regularised linear CCA of two view columns.</summary>
    /// <param name="catalog">The transforms of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="options">Columns, number of components and regularisation.</param>
    /// <returns>The estimator.</returns>
    public static LinearCcaEstimator LinearCca(this DeepLearningCatalog.TransformsCatalog catalog, LinearCcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new LinearCcaEstimator(catalog.Context, options);
    }

    /// <summary>Closed-form regularised linear CCA of two view columns.</summary>
    /// <param name="catalog">The transforms of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="viewAColumnName">The first view.</param>
    /// <param name="viewBColumnName">The second view.</param>
    /// <param name="components">Number of canonical pairs.</param>
    /// <returns>The estimator.</returns>
    public static LinearCcaEstimator LinearCca(this DeepLearningCatalog.TransformsCatalog catalog, string viewAColumnName = "ViewA",
        string viewBColumnName = "ViewB", int components = 2)
        => LinearCca(catalog, new LinearCcaOptions { ViewAColumnName = viewAColumnName, ViewBColumnName = viewBColumnName, Components = components });

    /// <summary>Deep CCA (Andrew et al. 2013): one encoder per view trained to maximise the top-k canonical correlations.</summary>
    /// <param name="catalog">The transforms of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="options">Columns, encoders and training options.</param>
    /// <returns>The estimator.</returns>
    public static DeepCcaEstimator DeepCca(this DeepLearningCatalog.TransformsCatalog catalog, DeepCcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new DeepCcaEstimator(catalog.Context, options);
    }

    /// <summary>Deep CCA of two view columns with default encoders (two hidden layers of 64, tanh).</summary>
    /// <param name="catalog">The transforms of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="viewAColumnName">The first view.</param>
    /// <param name="viewBColumnName">The second view.</param>
    /// <param name="components">Number of canonical pairs.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <returns>The estimator.</returns>
    public static DeepCcaEstimator DeepCca(this DeepLearningCatalog.TransformsCatalog catalog, string viewAColumnName = "ViewA",
        string viewBColumnName = "ViewB", int components = 2, int epochs = 100)
        => DeepCca(catalog, new DeepCcaOptions
        {
            ViewAColumnName = viewAColumnName, ViewBColumnName = viewBColumnName, Components = components, Epochs = epochs,
        });

    /// <summary>
    /// Evaluates an embedding column against class labels: leave-one-out recall@1 and recall@5, MAP@R, verification
    /// ROC AUC and equal error rate (all positive pairs, a seeded sample of negative pairs) and the NMI of k-means
    /// clusters (k = number of classes). Every class needs at least 2 rows. (The same as <c>mlContext.EvaluateEmbeddings</c>.)
    /// </summary>
    /// <param name="catalog">The embeddings catalog of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="data">Scored data.</param>
    /// <param name="embeddingColumnName">A known-size numeric vector column (Single, Double, an integer type or Boolean).</param>
    /// <param name="labelColumnName">A key, text, boolean or numeric label column.</param>
    /// <param name="options">Distance, seed and sample sizes; null for defaults.</param>
    /// <returns>The metrics.</returns>
    public static EmbeddingMetrics Evaluate(this DeepLearningCatalog.EmbeddingsCatalog catalog, IDataView data,
        string embeddingColumnName = "Embedding", string labelColumnName = "Label", EmbeddingEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Context.EvaluateEmbeddings(data, embeddingColumnName, labelColumnName, options);
    }
}
