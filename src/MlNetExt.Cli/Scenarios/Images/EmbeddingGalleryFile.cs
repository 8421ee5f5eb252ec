using MlNetExt.Cli.Runs;

namespace MlNetExt.Cli.Scenarios.Images;

/// <summary>
/// gallery.json of an image-embedding run: the training images' embeddings with their identities and the verification
/// threshold (the Euclidean distance at the held-out equal error rate). predict names the nearest gallery identity when it
/// is closer than the threshold, else "unknown".
/// </summary>
internal sealed record EmbeddingGalleryFile(double VerificationThreshold, IReadOnlyList<string> Identities, IReadOnlyList<float[]> Embeddings)
{
    public const string FileName = "gallery.json";

    public const string Unknown = "unknown";

    public static EmbeddingGalleryFile Read(string runFolder) =>
        CliJson.Deserialize<EmbeddingGalleryFile>(File.ReadAllText(Path.Combine(runFolder, FileName)));

    /// <summary>The nearest gallery entry (Euclidean distance) and whether it is within the threshold.</summary>
    public (string Identity, double Distance) Identify(float[] embedding)
    {
        int best = -1;
        double bestDistance = double.PositiveInfinity;
        for (int i = 0; i < Embeddings.Count; i++)
        {
            double sum = 0;
            for (int d = 0; d < embedding.Length; d++)
            {
                double difference = embedding[d] - Embeddings[i][d];
                sum += difference * difference;
            }
            if (sum < bestDistance)
            {
                bestDistance = sum;
                best = i;
            }
        }
        double distance = Math.Sqrt(bestDistance);
        return (best >= 0 && distance <= VerificationThreshold ? Identities[best] : Unknown, distance);
    }
}
