using System.CommandLine;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Scenarios.Images;

namespace MlNetExt.Cli.Commands;

/// <summary>Options of the commands that train on image files: the data set, backbone, image size and augmentation.</summary>
internal sealed class ImageOptions
{
    public Option<string> Data { get; } = new("--data", "-d") { Description = "A folder with one sub-folder of images per class (identity), or a CSV/TSV of image paths and labels.", Required = true };
    public Option<string?> ValidationData { get; } = new("--validation-data") { Description = "A separate validation set in the same layout (instead of --validation-fraction)." };
    public Option<string?> TestData { get; } = new("--test-data") { Description = "A separate held-out set in the same layout (instead of --test-fraction)." };
    public Option<string> ImageColumn { get; } = new("--image-column") { Description = "CSV/TSV data: the image-path column (paths relative to the file's folder).", DefaultValueFactory = _ => "ImagePath" };
    public Option<string> LabelColumn { get; } = new("--label-column") { Description = "CSV/TSV data: the label column.", DefaultValueFactory = _ => "Label" };
    public Option<string> Backbone { get; } = new("--backbone") { Description = "A pretrained backbone (mobilenet_v2.imagenet_b10 is shipped; resnet18.imagenet, ... from the weight cache), scratch:<architecture> (e.g. scratch:small_cnn), or an architecture with --backbone-weights.", DefaultValueFactory = _ => "mobilenet_v2.imagenet_b10" };
    public Option<string?> BackboneWeights { get; } = new("--backbone-weights") { Description = "A weight file (safetensors, TorchSharp or ONNX) for the --backbone architecture." };
    public Option<int> ImageSize { get; } = new("--image-size") { Description = "Side of the square image the backbone sees, in pixels.", DefaultValueFactory = _ => 64 };
    public Option<string> Augmentation { get; } = new("--augmentation") { Description = "Augmentation preset: none, light, default, strong or randaugment.", DefaultValueFactory = _ => "light" };
    public Option<bool> SkipUnreadable { get; } = new("--skip-unreadable") { Description = "Leave out images that cannot be decoded (warned) instead of stopping." };

    public ImageOptions() => Augmentation.AcceptOnlyFromAmong("none", "light", "default", "strong", "randaugment");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, ValidationData, TestData, ImageColumn, LabelColumn, Backbone, BackboneWeights, ImageSize, Augmentation, SkipUnreadable })
            command.Options.Add(option);
    }

    public T Apply<T>(ParseResult result, T settings) where T : ImageSettings
    {
        string? validation = result.GetValue(ValidationData), test = result.GetValue(TestData), weights = result.GetValue(BackboneWeights);
        var applied = settings with
        {
            Data = Path.GetFullPath(result.GetValue(Data)!),
            ValidationData = validation is null ? null : Path.GetFullPath(validation),
            TestData = test is null ? null : Path.GetFullPath(test),
            ImageColumn = result.GetValue(ImageColumn)!,
            LabelColumn = result.GetValue(LabelColumn)!,
            Backbone = result.GetValue(Backbone)!,
            BackboneWeights = weights is null ? null : Path.GetFullPath(weights),
            ImageSize = result.GetValue(ImageSize),
            Augmentation = result.GetValue(Augmentation)!,
            SkipUnreadable = result.GetValue(SkipUnreadable),
        };
        Check(applied);
        return applied;
    }

    /// <summary>Checks that need no data.</summary>
    public static void Check(ImageSettings settings)
    {
        if (settings.ImageSize is < 16 or > 1024)
            throw new UserInputException($"--image-size must be between 16 and 1024 pixels; found {settings.ImageSize}.");
        if (!File.Exists(settings.Data) && !Directory.Exists(settings.Data))
            throw new UserInputException($"--data '{settings.Data}' does not exist; give a folder with one sub-folder of images per class or a CSV/TSV of image paths and labels.");
        ImageClassificationScenario.ResolveBackbone(settings);
    }
}
