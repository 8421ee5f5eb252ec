using Microsoft.ML;
using MlNetExt.Core.Data;

namespace MlNetExt.Embeddings.Evaluation;

/// <summary>Embedding evaluation as an extension of <see cref="MLContext"/>.</summary>
public static class EmbeddingEvaluationCatalog
{
    /// <summary>
    /// Evaluates an embedding column against class labels: leave-one-out recall@1 and recall@5, MAP@R, verification
    /// ROC AUC and equal error rate (all positive pairs, a seeded sample of negative pairs) and the NMI of k-means
    /// clusters (k = number of classes). Every class needs at least 2 rows.
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="data">Scored data.</param>
    /// <param name="embeddingColumnName">A known-size numeric vector column (Single, Double, an integer type or Boolean).</param>
    /// <param name="labelColumnName">A key, text, Boolean or numeric scalar label column.</param>
    /// <param name="options">Distance, seed and sample sizes; null for defaults.</param>
    /// <returns>The metrics.</returns>
    public static EmbeddingMetrics EvaluateEmbeddings(this MLContext context, IDataView data,
        string embeddingColumnName = "Embedding", string labelColumnName = "Label", EmbeddingEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(embeddingColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        options ??= new EmbeddingEvaluationOptions();
        var embedding = NumericColumn.Find(data.Schema, embeddingColumnName, role: "Embedding", parameterName: nameof(embeddingColumnName));
        ClassLabelReader.Find(data.Schema, labelColumnName, parameterName: nameof(labelColumnName));
        var labels = ClassLabelReader.Read(data, labelColumnName);
        var embeddings = ColumnMatrix.ReadFloats(data, [embedding], out int rows)[0];
        int width = embedding.Width;
        if (rows != labels.Indices.Length)
            throw new InvalidDataException($"Column '{embeddingColumnName}' has {rows} rows but '{labelColumnName}' has {labels.Indices.Length}.");
        int classCount = labels.ClassCount;
        return EmbeddingEvaluator.Evaluate(embeddings, rows, width, labels.Indices, classCount, options, embeddingColumnName, labelColumnName);
    }
}
