using Xunit;

namespace MlNetExt.Cli.Tests;

/// <summary>Bad input: one line on standard error that names the problem, exit code 2, no stack trace, nothing left
/// half-made and nothing already saved lost.</summary>
[Trait("Category", "EndToEnd")]
public sealed class BadInputTests
{
    private static void AssertBadInput(CliResult result, params string[] mentions)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        string error = result.StandardError.Trim();
        Assert.StartsWith("error: ", error);
        Assert.DoesNotContain("\n", error);
        Assert.DoesNotContain("   at ", error);
        foreach (var mention in mentions)
            Assert.True(error.Contains(mention, StringComparison.Ordinal), $"'{mention}' is not named:\n{result}");
    }

    [Fact]
    public void Missing_label_column_names_it_lists_the_columns_and_leaves_no_run_folder()
    {
        using var temp = new TempFolder();
        TabularFiles.Counts(temp["counts.csv"], rows: 50, seed: 1);
        var result = CliRun.Run(temp.Path, "count-regression", "--data", temp["counts.csv"], "--label", "Counts", "--output", temp["run"]);
        AssertBadInput(result, "'Counts'", "x1, x2, group, y");
        Assert.False(Directory.Exists(temp["run"]));
    }

    [Fact]
    public void Negative_count_names_the_column_and_the_row()
    {
        using var temp = new TempFolder();
        TabularFiles.Counts(temp["counts.csv"], rows: 50, seed: 1);
        var lines = File.ReadAllLines(temp["counts.csv"]);
        lines[13] = "0.1,0.2,a,-3";
        File.WriteAllLines(temp["counts.csv"], lines);
        var result = CliRun.Run(temp.Path, "count-regression", "--data", temp["counts.csv"], "--label", "y", "--output", temp["run"]);
        AssertBadInput(result, "'y'", "row 12", "negative");
    }

    [Fact]
    public void Ragged_csv_row_names_the_file_and_the_line()
    {
        using var temp = new TempFolder();
        TabularFiles.Gaussian(temp["data.csv"], rows: 30, seed: 1);
        var lines = File.ReadAllLines(temp["data.csv"]);
        lines[6] = "0.5,0.1";
        File.WriteAllLines(temp["data.csv"], lines);
        var result = CliRun.Run(temp.Path, "uncertainty-regression", "--data", temp["data.csv"], "--label", "y", "--output", temp["run"]);
        AssertBadInput(result, "data.csv", "line 7");
    }

    [Fact]
    public void Missing_data_file_is_named()
    {
        using var temp = new TempFolder();
        var result = CliRun.Run(temp.Path, "count-regression", "--data", temp["nowhere.csv"], "--label", "y");
        AssertBadInput(result, "nowhere.csv");
        Assert.False(Directory.Exists(temp["runs"]));
    }

    [Fact]
    public void Output_folder_that_holds_files_is_refused_and_its_files_are_kept()
    {
        using var temp = new TempFolder();
        TabularFiles.Counts(temp["counts.csv"], rows: 50, seed: 1);
        Directory.CreateDirectory(temp["previous"]);
        File.WriteAllText(temp["previous/model.zip"], "an earlier model");
        var result = CliRun.Run(temp.Path, "count-regression", "--data", temp["counts.csv"], "--label", "y", "--output", temp["previous"]);
        AssertBadInput(result, "--output", "already holds files");
        Assert.Equal("an earlier model", File.ReadAllText(temp["previous/model.zip"]));
        Assert.Single(Directory.EnumerateFileSystemEntries(temp["previous"]));
    }

    [Fact]
    public void Invalid_option_value_names_the_option()
    {
        using var temp = new TempFolder();
        TabularFiles.Counts(temp["counts.csv"], rows: 50, seed: 1);
        var result = CliRun.Run(temp.Path, "count-regression", "--data", temp["counts.csv"], "--label", "y", "--epochs", "0", "--output", temp["run"]);
        AssertBadInput(result, "--epochs");
        Assert.False(Directory.Exists(temp["run"]));
    }

    [Fact]
    public void Predict_with_a_missing_run_folder_names_it()
    {
        using var temp = new TempFolder();
        TabularFiles.Counts(temp["counts.csv"], rows: 5, seed: 1);
        var result = CliRun.Run(temp.Path, "predict", "--model", temp["no-run"], "--input", temp["counts.csv"]);
        AssertBadInput(result, "--model", "no-run");
    }

    [Fact]
    public void Unknown_command_line_option_exits_with_2()
    {
        using var temp = new TempFolder();
        var result = CliRun.Run(temp.Path, "count-regression", "--no-such-option");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--no-such-option", result.StandardError);
    }
}

/// <summary>Bad image data sets: exit code 2 and one line naming the folder, class or file.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ImageBadInputTests
{
    [Fact]
    public void Class_with_one_image_is_named_with_its_count()
    {
        using var temp = new TempFolder();
        ImageFiles.Stripes(temp["images"], perClass: 3, seed: 1);
        foreach (var file in Directory.GetFiles(temp["images/vertical"]).Order().Skip(1))
            File.Delete(file);
        var result = CliRun.Run(temp.Path, "image-classification", "--data", temp["images"], "--output", temp["run"]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("class 'vertical' has 1 image", result.StandardError);
        Assert.False(Directory.Exists(temp["run"]));
    }

    [Fact]
    public void Unreadable_images_are_listed_and_the_skip_option_is_named()
    {
        using var temp = new TempFolder();
        ImageFiles.Stripes(temp["images"], perClass: 3, seed: 1);
        File.WriteAllText(temp["images/horizontal/broken.png"], "not an image");
        var result = CliRun.Run(temp.Path, "image-classification", "--data", temp["images"], "--output", temp["run"]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("broken.png", result.StandardError);
        Assert.Contains("--skip-unreadable", result.StandardError);
    }

    [Fact]
    public void Folder_without_class_sub_folders_says_how_to_lay_it_out()
    {
        using var temp = new TempFolder();
        ImageFiles.Stripes(temp["images"], perClass: 2, seed: 1);
        foreach (var file in Directory.GetFiles(temp["images/vertical"]))
            File.Move(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        Directory.Delete(temp["images"], recursive: true);
        Directory.CreateDirectory(temp["loose"]);
        foreach (var file in Directory.GetFiles(temp.Path, "*.png"))
            File.Move(file, Path.Combine(temp["loose"], Path.GetFileName(file)));
        var result = CliRun.Run(temp.Path, "image-classification", "--data", temp["loose"]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no class sub-folders", result.StandardError);
    }
}
