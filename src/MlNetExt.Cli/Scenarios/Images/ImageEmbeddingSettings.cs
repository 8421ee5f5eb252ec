namespace MlNetExt.Cli.Scenarios.Images;

/// <summary>image-embedding: a triplet-loss image embedding on a folder with one sub-folder per identity.</summary>
internal sealed record ImageEmbeddingSettings : ImageSettings
{
    /// <summary>Width of the L2-normalised embedding.</summary>
    public int EmbeddingDimension { get; init; } = 64;
}
