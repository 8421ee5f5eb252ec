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
        var images = new ImageOptions();
        var strategy = new Option<TransferStrategy>("--strategy") { Description = "Frozen (train the head on cached features), FineTune or Staged (head, then everything).", DefaultValueFactory = _ => TransferStrategy.Staged };
        var balancing = new Option<ClassBalancing>("--class-balancing") { Description = "None, LossWeights or Resampling.", DefaultValueFactory = _ => ClassBalancing.None };

        var command = new Command(ImageClassificationScenario.CommandName,
            "Transfer-learned image classification (ImageClassifier) on a folder per class or a CSV of image paths and labels.");
        images.AddTo(command);
        command.Options.Add(strategy);
        command.Options.Add(balancing);
        common.AddTo(command);
        command.SetAction(result =>
        {
            var console = new ToolConsole(common.Verbosity.Get(result));
            var library = new ImageClassifierOptions();
            var defaults = new ImageClassificationSettings { Epochs = library.Epochs, BatchSize = library.BatchSize, LearningRate = library.LearningRate, Threads = 1 };
            var settings = images.Apply(result, common.Apply(result, defaults)) with
            {
                Strategy = result.GetValue(strategy),
                ClassBalancing = result.GetValue(balancing),
            };
            return TrainingRunner.Run(new ImageClassificationScenario(), settings, result.GetValue(common.Output), commandLine.Text, console);
        });
        return command;
    }
}
