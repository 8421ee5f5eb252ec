using System.CommandLine;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Runs;
using MlNetExt.Cli.Scenarios.Images;
using MlNetExt.Vision.Classification;

namespace MlNetExt.Cli.Commands;

/// <summary><c>mlnetext image-classification</c>.</summary>
internal static class ImageClassificationCommand
{
    public static Command Create(CommandLineText commandLine)
    {
        var common = new CommonOptions();
        var data = new Option<string>("--data", "-d") { Description = "A folder with one sub-folder of images per class, or a CSV/TSV of image paths and labels.", Required = true };
        var validation = new Option<string?>("--validation-data") { Description = "A separate validation set in the same layout (instead of --validation-fraction)." };
        var test = new Option<string?>("--test-data") { Description = "A separate held-out set in the same layout (instead of --test-fraction)." };
        var imageColumn = new Option<string>("--image-column") { Description = "CSV/TSV data: the image-path column (paths relative to the file's folder).", DefaultValueFactory = _ => "ImagePath" };
        var labelColumn = new Option<string>("--label-column") { Description = "CSV/TSV data: the label column.", DefaultValueFactory = _ => "Label" };
        var backbone = new Option<string>("--backbone") { Description = "A pretrained backbone (mobilenet_v2.imagenet_b10 is shipped; resnet18.imagenet, ... from the weight cache), scratch:<architecture> (e.g. scratch:small_cnn), or an architecture with --backbone-weights.", DefaultValueFactory = _ => "mobilenet_v2.imagenet_b10" };
        var weights = new Option<string?>("--backbone-weights") { Description = "A weight file (safetensors, TorchSharp or ONNX) for the --backbone architecture." };
        var strategy = new Option<TransferStrategy>("--strategy") { Description = "Frozen (train the head on cached features), FineTune or Staged (head, then everything).", DefaultValueFactory = _ => TransferStrategy.Staged };
        var imageSize = new Option<int>("--image-size") { Description = "Side of the square image the backbone sees, in pixels.", DefaultValueFactory = _ => 64 };
        var augmentation = new Option<string>("--augmentation") { Description = "Augmentation preset.", DefaultValueFactory = _ => "light" };
        augmentation.AcceptOnlyFromAmong("none", "light", "default", "strong", "randaugment");
        var balancing = new Option<ClassBalancing>("--class-balancing") { Description = "None, LossWeights or Resampling.", DefaultValueFactory = _ => ClassBalancing.None };
        var skip = new Option<bool>("--skip-unreadable") { Description = "Leave out images that cannot be decoded (warned) instead of stopping." };

        var command = new Command(ImageClassificationScenario.CommandName,
            "Transfer-learned image classification (ImageClassifier) on a folder per class or a CSV of image paths and labels.");
        foreach (var option in new Option[] { data, validation, test, imageColumn, labelColumn, backbone, weights, strategy, imageSize, augmentation, balancing, skip })
            command.Options.Add(option);
        common.AddTo(command);
        command.SetAction(result =>
        {
            var console = new ToolConsole(common.Verbosity.Get(result));
            var library = new ImageClassifierOptions();
            var defaults = new ImageClassificationSettings { Epochs = library.Epochs, BatchSize = library.BatchSize, LearningRate = library.LearningRate, Threads = 1 };
            string? validationPath = result.GetValue(validation), testPath = result.GetValue(test), weightsPath = result.GetValue(weights);
            var settings = common.Apply(result, defaults) with
            {
                Data = Path.GetFullPath(result.GetValue(data)!),
                ValidationData = validationPath is null ? null : Path.GetFullPath(validationPath),
                TestData = testPath is null ? null : Path.GetFullPath(testPath),
                ImageColumn = result.GetValue(imageColumn)!,
                LabelColumn = result.GetValue(labelColumn)!,
                Backbone = result.GetValue(backbone)!,
                BackboneWeights = weightsPath is null ? null : Path.GetFullPath(weightsPath),
                Strategy = result.GetValue(strategy),
                ImageSize = result.GetValue(imageSize),
                Augmentation = result.GetValue(augmentation)!,
                ClassBalancing = result.GetValue(balancing),
                SkipUnreadable = result.GetValue(skip),
            };
            Check(settings);
            return TrainingRunner.Run(new ImageClassificationScenario(), settings, result.GetValue(common.Output), commandLine.Text, console);
        });
        return command;
    }

    /// <summary>Checks that need no data (also run before a replay).</summary>
    public static void Check(ImageClassificationSettings settings)
    {
        if (settings.ImageSize is < 16 or > 1024)
            throw new UserInputException($"--image-size must be between 16 and 1024 pixels; found {settings.ImageSize}.");
        if (!File.Exists(settings.Data) && !Directory.Exists(settings.Data))
            throw new UserInputException($"--data '{settings.Data}' does not exist; give a folder with one sub-folder of images per class or a CSV/TSV of image paths and labels.");
        ImageClassificationScenario.ResolveBackbone(settings);
    }
}
