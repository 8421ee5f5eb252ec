using System.Buffers.Binary;
using MlNetExt.Core.Models;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// An <see cref="EmbeddingGallery"/> as the value of <c>mlnetext.gallery</c> (docs/onnx-metadata.md): JSON
/// <c>{"dimension", "identities": [..], "embeddings": base64}</c>, the embeddings row-major as little-endian float32 bytes
/// (4/3 x 4 bytes of text per value, exact, far smaller than JSON numbers). Galleries above <see cref="MaxValues"/> values
/// are refused: ONNX Runtime parses the whole model, metadata included, when a session starts.
/// </summary>
internal static class EmbeddingGalleryMetadata
{
    /// <summary>The metadata key.</summary>
    public const string Key = "mlnetext.gallery";

    /// <summary>The most values (entries x dimension) a gallery in the model may hold: 16 M floats, 64 MiB (about 85 MB of text).</summary>
    public const long MaxValues = 1L << 24;

    private sealed record GalleryRecord(int Dimension, string[] Identities, string Embeddings);

    /// <summary>The metadata value of <paramref name="gallery"/>.</summary>
    /// <exception cref="ArgumentException">The gallery holds more than <see cref="MaxValues"/> values.</exception>
    public static string Write(EmbeddingGallery gallery)
    {
        long values = (long)gallery.Count * gallery.Dimension;
        if (values > MaxValues)
            throw new ArgumentException(
                $"The gallery holds {gallery.Count} embeddings of {gallery.Dimension} values ({values} in all); a model carries at most {MaxValues} " +
                "(64 MiB of float32). Keep a larger gallery in a file of its own next to the model.", nameof(gallery));
        var bytes = new byte[values * sizeof(float)];
        int offset = 0;
        foreach (var embedding in gallery.Embeddings)
        {
            foreach (float v in embedding)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), v);
                offset += sizeof(float);
            }
        }
        return MetadataJson.Serialize(new GalleryRecord(gallery.Dimension, gallery.Identities.ToArray(), Convert.ToBase64String(bytes)));
    }

    /// <summary>The gallery of a metadata value written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The value is not a gallery.</exception>
    public static EmbeddingGallery Read(string json)
    {
        var record = MetadataJson.Deserialize<GalleryRecord>(json, Key);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(record.Embeddings ?? "");
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"The ONNX metadata '{Key}' has embeddings that are not base64: {e.Message}", e);
        }
        var identities = record.Identities ?? [];
        if (record.Dimension < 1 || bytes.Length != (long)identities.Length * record.Dimension * sizeof(float))
            throw new InvalidDataException(
                $"The ONNX metadata '{Key}' holds {bytes.Length} bytes of embeddings for {identities.Length} identities of dimension {record.Dimension}.");
        var embeddings = new float[identities.Length][];
        for (int i = 0; i < embeddings.Length; i++)
        {
            embeddings[i] = new float[record.Dimension];
            for (int j = 0; j < record.Dimension; j++)
                embeddings[i][j] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((i * record.Dimension + j) * sizeof(float)));
        }
        return new EmbeddingGallery(embeddings, identities);
    }
}
