using System.CommandLine;
using Microsoft.ML.Data;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Scenarios.Images;
using MlNetExt.Core.IO;
using MlNetExt.ImageAugmentation;

namespace MlNetExt.Cli.Commands;

/// <summary><c>mlnetext augment-preview</c>: a PNG grid of an augmentation preset applied to sample images (one row per image:
/// the original, then augmented versions), to see what a policy does before training with it.</summary>
internal static class AugmentPreviewCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "An image or a folder of images (searched recursively; the first --images are used).", Required = true };
        var augmentation = new Option<string>("--augmentation") { Description = "Augmentation preset: none, light, default, strong or randaugment.", DefaultValueFactory = _ => "default" };
        augmentation.AcceptOnlyFromAmong("none", "light", "default", "strong", "randaugment");
        var images = new Option<int>("--images") { Description = "Sample images (rows).", DefaultValueFactory = _ => 4 };
        var variants = new Option<int>("--variants") { Description = "Augmented versions of each image (columns after the original).", DefaultValueFactory = _ => 7 };
        var size = new Option<int>("--size") { Description = "Side of each cell in pixels.", DefaultValueFactory = _ => 96 };
        var seed = new Option<int>("--seed") { Description = "Seed of the augmentation.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--output", "-o") { Description = "The PNG file to write.", DefaultValueFactory = _ => "augment-preview.png" };
        var verbosity = new VerbosityOptions();
        var command = new Command("augment-preview", "Write a PNG grid of an augmentation preset applied to sample images.");
        foreach (var option in new Option[] { input, augmentation, images, variants, size, seed, output })
            command.Options.Add(option);
        verbosity.AddTo(command);
        command.SetAction(result =>
        {
            var console = new ToolConsole(verbosity.Get(result));
            string path = Path.GetFullPath(result.GetValue(input)!);
            int rows = result.GetValue(images), columns = result.GetValue(variants) + 1, cell = result.GetValue(size);
            if (rows < 1 || columns < 2 || cell is < 8 or > 1024)
                throw new UserInputException("--images and --variants must be at least 1 and --size between 8 and 1024.");
            string[] files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(ImageDataset.IsImage).Order(StringComparer.Ordinal).Take(rows).ToArray()
                : File.Exists(path) ? [path] : throw new UserInputException($"--input '{result.GetValue(input)}' does not exist.");
            if (files.Length == 0)
                throw new UserInputException($"--input '{result.GetValue(input)}' holds no images ({string.Join(" ", ImageDataset.Extensions)}).");
            var policy = ImageClassificationScenario.Augmentation(result.GetValue(augmentation)!);

            var grid = new byte[files.Length * cell * columns * cell * 4];
            for (int r = 0; r < files.Length; r++)
            {
                MLImage original;
                try
                {
                    original = MLImage.CreateFromFile(files[r]);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new UserInputException($"cannot read image '{files[r]}': {e.Message}");
                }
                using (original)
                {
                    Paste(grid, columns * cell, original, r * cell, 0, cell);
                    for (int c = 1; c < columns; c++)
                    {
                        using var augmented = ImageAugmenter.Augment(original, policy, result.GetValue(seed) * 100_003L + r * 1_000L + c);
                        Paste(grid, columns * cell, augmented, r * cell, c * cell, cell);
                    }
                }
            }
            string target = Path.GetFullPath(result.GetValue(output)!);
            if (Path.GetDirectoryName(target) is string folder)
                Directory.CreateDirectory(folder);
            using var image = MLImage.CreateFromPixels(columns * cell, files.Length * cell, MLPixelFormat.Bgra32, grid);
            string temporary = target + ".writing.png";
            image.Save(temporary);
            AtomicFile.WriteAllBytes(target, File.ReadAllBytes(temporary));
            File.Delete(temporary);
            console.Result($"wrote {target}: {files.Length} image(s) x (original + {columns - 1} '{policy.Name}' augmentations)");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Copies <paramref name="image"/> into a BGRA grid, scaled (nearest pixel) to a square cell.</summary>
    private static void Paste(byte[] grid, int gridWidth, MLImage image, int top, int left, int cell)
    {
        var pixels = image.Pixels;
        bool rgba = image.PixelFormat == MLPixelFormat.Rgba32;
        for (int y = 0; y < cell; y++)
        {
            int sourceY = Math.Min(image.Height - 1, y * image.Height / cell);
            for (int x = 0; x < cell; x++)
            {
                int sourceX = Math.Min(image.Width - 1, x * image.Width / cell);
                int from = (sourceY * image.Width + sourceX) * 4, to = ((top + y) * gridWidth + left + x) * 4;
                grid[to] = pixels[rgba ? from + 2 : from];
                grid[to + 1] = pixels[from + 1];
                grid[to + 2] = pixels[rgba ? from : from + 2];
                grid[to + 3] = pixels[from + 3];
            }
        }
    }
}
