using System.CommandLine;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Data;
using MlNetExt.Cli.Scenarios.Tabular;

namespace MlNetExt.Cli.Commands;

/// <summary>Options of the commands that read a CSV/TSV file: the file, its separator and the column roles.</summary>
internal sealed class TabularOptions
{
    public Option<string> Data { get; } = new("--data", "-d") { Description = "CSV or TSV file with a header row.", Required = true };
    public Option<string?> Separator { get; } = new("--separator") { Description = "Field separator: one character, 'tab', 'comma' or 'semicolon' (default: tab for .tsv, else comma)." };
    public Option<string[]> Label { get; } = new("--label", "-l") { Description = "Label column; repeat (or separate with commas) for several outputs.", Required = true, AllowMultipleArgumentsPerToken = true };
    public Option<string[]> Features { get; } = new("--features") { Description = "Feature columns (default: every column without another role); text columns are one-hot encoded.", AllowMultipleArgumentsPerToken = true };
    public Option<string[]> Ignore { get; } = new("--ignore") { Description = "Columns to leave out (ids, free text).", AllowMultipleArgumentsPerToken = true };
    public Option<string?> TestData { get; } = new("--test-data") { Description = "A separate held-out file with the same columns (instead of --test-fraction)." };
    public Option<string?> ValidationData { get; } = new("--validation-data") { Description = "A separate validation file with the same columns (instead of --validation-fraction)." };
    public Option<string?> HiddenLayers { get; } = new("--hidden-layers") { Description = "Hidden layer widths, e.g. 64,64 ('none': a linear model)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, Separator, Label, Features, Ignore, TestData, ValidationData, HiddenLayers })
            command.Options.Add(option);
    }

    public T Apply<T>(ParseResult result, T settings) where T : TabularSettings
    {
        string data = result.GetValue(Data)!;
        char separator = CsvTable.SeparatorFor(data, result.GetValue(Separator));
        string? test = result.GetValue(TestData), validation = result.GetValue(ValidationData);
        string? layers = result.GetValue(HiddenLayers);
        var applied = settings with
        {
            Data = Path.GetFullPath(data),
            Separator = separator == '\t' ? "\\t" : separator.ToString(),
            Labels = CommonOptions.List(result, Label),
            Features = CommonOptions.List(result, Features),
            Ignore = CommonOptions.List(result, Ignore),
            TestData = test is null ? null : Path.GetFullPath(test),
            ValidationData = validation is null ? null : Path.GetFullPath(validation),
            HiddenLayers = layers is null ? settings.HiddenLayers : CommonOptions.ParseWidths(layers, "--hidden-layers"),
        };
        if (!File.Exists(applied.Data))
            throw new UserInputException(Directory.Exists(applied.Data)
                ? $"--data '{data}' is a folder; give a CSV or TSV file with a header row."
                : $"--data '{data}' does not exist; give a CSV or TSV file with a header row.");
        return applied;
    }
}
