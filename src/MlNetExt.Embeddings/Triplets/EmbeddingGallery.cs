using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Data;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// A gallery of labelled embeddings for identification: a query gets the identity of its nearest gallery
/// embedding, or "unknown" (null) when that nearest one is farther than a threshold.
/// </summary>
public sealed class EmbeddingGallery
{
    private readonly float[][] _embeddings;
    private readonly string[] _identities;

    /// <summary>Creates a gallery from embeddings and their identities.</summary>
    public EmbeddingGallery(IReadOnlyList<float[]> embeddings, IReadOnlyList<string> identities)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(identities);
        if (embeddings.Count == 0 || embeddings.Count != identities.Count)
            throw new ArgumentException($"The gallery needs one identity per embedding ({embeddings.Count} embeddings, {identities.Count} identities), at least one.");
        Dimension = embeddings[0].Length;
        for (int i = 0; i < embeddings.Count; i++)
        {
            if (embeddings[i].Length != Dimension)
                throw new ArgumentException($"Gallery embedding {i} has {embeddings[i].Length} values, expected {Dimension}.", nameof(embeddings));
            if (embeddings[i].Any(v => !float.IsFinite(v)))
                throw new ArgumentException($"Gallery embedding {i} has a non-finite value.", nameof(embeddings));
        }
        _embeddings = embeddings.Select(e => (float[])e.Clone()).ToArray();
        _identities = identities.ToArray();
    }

    /// <summary>Builds a gallery from an embedding column and an identity column of scored data.</summary>
    /// <param name="data">Scored data.</param>
    /// <param name="embeddingColumnName">A known-size numeric vector column (Single, Double, an integer type or Boolean).</param>
    /// <param name="identityColumnName">A key, text, Boolean or numeric scalar column; an identity is the label as text (a
    /// key as its 1-based number).</param>
    /// <exception cref="ArgumentException">A column is missing or has a type that cannot be used; the message names it.</exception>
    /// <exception cref="InvalidDataException">A NaN or infinite embedding value, or a missing identity; the message names the
    /// column and the row.</exception>
    public static EmbeddingGallery FromData(IDataView data, string embeddingColumnName = "Embedding", string identityColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = NumericColumn.Find(data.Schema, embeddingColumnName, role: "Embedding", parameterName: nameof(embeddingColumnName));
        ClassLabelReader.Find(data.Schema, identityColumnName, "Identity", nameof(identityColumnName));
        var values = ColumnMatrix.ReadFloats(data, [column], out int rows)[0];
        int width = column.Width;
        var labels = ClassLabelReader.Read(data, identityColumnName, "Identity");
        var identities = labels.Indices.Select(i => labels.Names[i]).ToArray();
        var embeddings = Enumerable.Range(0, rows).Select(i => values.AsSpan(i * width, width).ToArray()).ToArray();
        return new EmbeddingGallery(embeddings, identities);
    }

    /// <summary>Embedding dimension.</summary>
    public int Dimension { get; }

    /// <summary>Number of gallery entries.</summary>
    public int Count => _embeddings.Length;

    /// <summary>The identity of every entry, in order.</summary>
    public IReadOnlyList<string> Identities => _identities;

    /// <summary>The embeddings, in order (not copies: for the model's metadata).</summary>
    internal IReadOnlyList<float[]> Embeddings => _embeddings;

    /// <summary>
    /// The nearest gallery identity to <paramref name="query"/> and its Euclidean distance; the identity is null
    /// ("unknown") when the distance exceeds <paramref name="unknownThreshold"/>.
    /// </summary>
    public (string? Identity, double Distance) Identify(ReadOnlySpan<float> query, double unknownThreshold = double.PositiveInfinity)
    {
        if (query.Length != Dimension)
            throw new ArgumentException($"The query has {query.Length} values; the gallery's embeddings have {Dimension}.", nameof(query));
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int i = 0; i < _embeddings.Length; i++)
        {
            double d = System.Numerics.Tensors.TensorPrimitives.Distance(query, _embeddings[i]);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = i;
            }
        }
        return (bestDistance <= unknownThreshold ? _identities[best] : null, bestDistance);
    }
}
