using MlNetExt.Vision.Classification;

namespace MlNetExt.Cli.Scenarios.Images;

/// <summary>image-classification: a transfer-learned ImageClassifier on a folder with one sub-folder per class, or a CSV/TSV
/// of image path and label.</summary>
internal sealed record ImageClassificationSettings : ImageSettings
{
    public TransferStrategy Strategy { get; init; } = TransferStrategy.Staged;

    public ClassBalancing ClassBalancing { get; init; } = ClassBalancing.None;
}
