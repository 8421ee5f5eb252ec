using System.CommandLine;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Runs;
using MlNetExt.Cli.Scenarios.Images;

namespace MlNetExt.Cli.Commands;

/// <summary><c>mlnetext image-embedding</c>.</summary>
internal static class ImageEmbeddingCommand
{
    public static Command Create(CommandLineText commandLine)
    {
        var common = new CommonOptions();
        var images = new ImageOptions();
        var dimension = new Option<int>("--embedding-dimension") { Description = "Width of the L2-normalised embedding.", DefaultValueFactory = _ => 64 };

        var command = new Command(ImageEmbeddingScenario.CommandName,
            "Triplet-loss image embedding on a folder per identity; gallery.json keeps the training images' embeddings and the verification threshold for predict.");
        images.AddTo(command);
        command.Options.Add(dimension);
        common.AddTo(command);
        command.SetAction(result =>
        {
            var console = new ToolConsole(common.Verbosity.Get(result));
            var defaults = new ImageEmbeddingSettings { Epochs = 30, BatchSize = 32, LearningRate = 1e-3f, Threads = 1 };
            var settings = images.Apply(result, common.Apply(result, defaults)) with { EmbeddingDimension = result.GetValue(dimension) };
            if (settings.EmbeddingDimension is < 2 or > 4096)
                throw new UserInputException($"--embedding-dimension must be between 2 and 4096; found {settings.EmbeddingDimension}.");
            return TrainingRunner.Run(new ImageEmbeddingScenario(), settings, result.GetValue(common.Output), commandLine.Text, console);
        });
        return command;
    }
}
