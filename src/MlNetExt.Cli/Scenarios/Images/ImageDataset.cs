using Microsoft.ML.Data;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Data;

namespace MlNetExt.Cli.Scenarios.Images;

/// <summary>One image of a data set: its absolute path and its class.</summary>
internal sealed record ImageRow(string Path, string Label);

/// <summary>
/// An image data set: a folder with one sub-folder per class (Model Builder's layout; images anywhere below the class
/// folder), or a CSV/TSV of image path and label. Every image is decoded once while loading, so unreadable files are
/// found before training and listed.
/// </summary>
internal sealed class ImageDataset
{
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    private const int ListedProblems = 5;

    private ImageDataset(string source, IReadOnlyList<ImageRow> rows, IReadOnlyList<string> skipped)
    {
        Source = source;
        Rows = rows;
        Skipped = skipped;
        Classes = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The folder or file the images came from.</summary>
    public string Source { get; }

    public IReadOnlyList<ImageRow> Rows { get; }

    /// <summary>The class names, sorted (ordinal): the order of the model's classes.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Unreadable images left out (with <see cref="ImageSettings.SkipUnreadable"/>).</summary>
    public IReadOnlyList<string> Skipped { get; }

    public int CountOf(string label) => Rows.Count(r => r.Label == label);

    /// <summary>Reads a data set; <paramref name="option"/> names the command-line option in messages.</summary>
    public static ImageDataset Load(ImageSettings settings, string path, string option, bool requireTwoPerClass)
    {
        IReadOnlyList<ImageRow> rows;
        if (Directory.Exists(path))
            rows = FromFolder(path, option);
        else if (File.Exists(path))
            rows = FromTable(path, option, settings.ImageColumn, settings.LabelColumn);
        else
            throw new UserInputException($"{option} '{path}' does not exist; give a folder with one sub-folder per class or a CSV/TSV of image paths and labels.");

        var unreadable = rows.Where(r => !Decodes(r.Path)).Select(r => r.Path).ToArray();
        if (unreadable.Length > 0 && !settings.SkipUnreadable)
            throw new UserInputException($"{option}: {unreadable.Length} image(s) cannot be read: "
                + string.Join(", ", unreadable.Take(ListedProblems).Select(p => $"'{p}'")) + (unreadable.Length > ListedProblems ? ", ..." : "")
                + "; fix or remove them, or add --skip-unreadable to leave them out.");
        var readable = unreadable.Length == 0 ? rows : rows.Where(r => !unreadable.Contains(r.Path)).ToArray();
        if (readable.Count == 0)
            throw new UserInputException($"{option} '{path}' holds no readable image.");
        var dataset = new ImageDataset(path, readable, unreadable);
        if (requireTwoPerClass)
        {
            if (dataset.Classes.Count < 2)
                throw new UserInputException($"{option} '{path}' has {dataset.Classes.Count} class ({string.Join(", ", dataset.Classes)}); a classifier needs at least 2.");
            var small = dataset.Classes.Where(c => dataset.CountOf(c) < 2).ToArray();
            if (small.Length > 0)
                throw new UserInputException($"{option}: class '{small[0]}' has {dataset.CountOf(small[0])} image; every class needs at least 2 (add images or remove the class).");
        }
        return dataset;
    }

    private static IReadOnlyList<ImageRow> FromFolder(string folder, string option)
    {
        var classFolders = Directory.GetDirectories(folder).Order(StringComparer.Ordinal).ToArray();
        if (classFolders.Length == 0)
        {
            bool looseImages = Directory.EnumerateFiles(folder).Any(IsImage);
            throw new UserInputException(looseImages
                ? $"{option} '{folder}' holds images but no class sub-folders; put each class's images in a sub-folder named after the class."
                : $"{option} '{folder}' holds no class sub-folders and no images; give a folder with one sub-folder of images per class.");
        }
        var rows = new List<ImageRow>();
        foreach (var classFolder in classFolders)
        {
            string label = Path.GetFileName(classFolder);
            rows.AddRange(Directory.EnumerateFiles(classFolder, "*", SearchOption.AllDirectories).Where(IsImage)
                .Order(StringComparer.Ordinal).Select(f => new ImageRow(Path.GetFullPath(f), label)));
        }
        if (rows.Count == 0)
            throw new UserInputException($"{option} '{folder}' has class sub-folders ({string.Join(", ", classFolders.Select(Path.GetFileName))}) but no images "
                + $"({string.Join(" ", Extensions)}).");
        return rows;
    }

    private static IReadOnlyList<ImageRow> FromTable(string file, string option, string imageColumn, string labelColumn)
    {
        var table = CsvTable.Read(file, CsvTable.SeparatorFor(file, null));
        int image = Column(table, imageColumn, "--image-column", file), label = Column(table, labelColumn, "--label-column", file);
        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var rows = new List<ImageRow>();
        for (int r = 0; r < table.Rows.Count; r++)
        {
            string path = table.Rows[r][image].Trim(), name = table.Rows[r][label].Trim();
            if (path.Length == 0 || name.Length == 0)
                throw new UserInputException($"{option} '{file}' row {r} (line {r + 2}): column '{(path.Length == 0 ? imageColumn : labelColumn)}' is empty.");
            string full = Path.GetFullPath(Path.Combine(folder, path));
            if (!File.Exists(full))
                throw new UserInputException($"{option} '{file}' row {r} (line {r + 2}): image '{path}' does not exist (relative paths are relative to the file's folder).");
            rows.Add(new ImageRow(full, name));
        }
        if (rows.Count == 0)
            throw new UserInputException($"{option} '{file}' has no rows.");
        return rows;
    }

    private static int Column(CsvTable table, string name, string option, string file)
    {
        int index = table.Header.ToList().IndexOf(name);
        return index >= 0 ? index
            : throw new UserInputException($"{option} '{name}' is not a column of '{file}'; its columns are: {string.Join(", ", table.Header)}.");
    }

    public static bool IsImage(string file) => Extensions.Contains(Path.GetExtension(file).ToLowerInvariant());

    private static bool Decodes(string path)
    {
        try
        {
            using var image = MLImage.CreateFromFile(path);
            return image.Width > 0 && image.Height > 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }
}
