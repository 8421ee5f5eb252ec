namespace MlNetExt.Cli.Scenarios.Images;

/// <summary>Settings of the scenarios that train on image files: the data set (a folder with one sub-folder per class or
/// identity, or a CSV/TSV of image path and label), the backbone, image size and augmentation.</summary>
internal abstract record ImageSettings : TrainingSettings
{
    /// <summary>The data set: a folder with one sub-folder per class, or a CSV/TSV file (absolute path).</summary>
    public string Data { get; init; } = "";

    /// <summary>A separate validation set in the same layout (instead of <see cref="TrainingSettings.ValidationFraction"/>).</summary>
    public string? ValidationData { get; init; }

    /// <summary>A separate held-out set in the same layout (instead of <see cref="TrainingSettings.TestFraction"/>).</summary>
    public string? TestData { get; init; }

    /// <summary>The image-path column of a CSV/TSV data set (relative paths are relative to the file's folder).</summary>
    public string ImageColumn { get; init; } = "ImagePath";

    /// <summary>The label column of a CSV/TSV data set.</summary>
    public string LabelColumn { get; init; } = "Label";

    /// <summary>A pretrained catalog id, an architecture trained from scratch ("scratch:small_cnn"), or an architecture
    /// whose weights are in <see cref="BackboneWeights"/>.</summary>
    public string Backbone { get; init; } = "mobilenet_v2.imagenet_b10";

    /// <summary>A weight file for the <see cref="Backbone"/> architecture (safetensors, TorchSharp or ONNX).</summary>
    public string? BackboneWeights { get; init; }

    /// <summary>Side of the square image the backbone sees.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>Augmentation preset: none, light, default, strong or randaugment.</summary>
    public string Augmentation { get; init; } = "light";

    /// <summary>Leave out images that cannot be decoded (listed in the log) instead of stopping.</summary>
    public bool SkipUnreadable { get; init; }
}
