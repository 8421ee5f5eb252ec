using Microsoft.ML.Data;
using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>augment-preview writes a grid: one row per sample image, the original first, then augmented versions.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AugmentPreviewTests
{
    [Fact]
    public void Preview_is_a_grid_of_originals_and_differing_augmentations()
    {
        using var temp = new TempFolder();
        ImageFiles.Stripes(temp["images"], perClass: 2, seed: 3);
        var result = CliRun.Run(temp.Path, "augment-preview", "--input", temp["images"], "--augmentation", "strong", "--images", "3",
            "--variants", "4", "--size", "32", "--output", temp["out/preview.png"]);
        Assert.True(result.ExitCode == 0, result.ToString());

        using var grid = MLImage.CreateFromFile(temp["out/preview.png"]);
        Assert.Equal(5 * 32, grid.Width);
        Assert.Equal(3 * 32, grid.Height);
        using var first = MLImage.CreateFromFile(Directory.GetFiles(temp["images"], "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());
        // The 32 px sample is copied 1:1 into the first cell; the augmented cells differ from it.
        Assert.Equal(Cell(first, 0, 1, 32), Cell(grid, 0, 5, 32));
        for (int c = 1; c < 5; c++)
            Assert.NotEqual(Cell(grid, 0, 5, 32), Cell(grid, c, 5, 32));
    }

    /// <summary>The grey values (green channel) of cell (row 0, column <paramref name="column"/>).</summary>
    private static byte[] Cell(MLImage image, int column, int columns, int size)
    {
        var pixels = image.Pixels;
        var cell = new byte[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                cell[y * size + x] = pixels[(y * columns * size + column * size + x) * 4 + 1];
        return cell;
    }
}
