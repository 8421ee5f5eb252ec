using System.CommandLine;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Data;
using MlNetExt.Cli.Runs;
using MlNetExt.Cli.Scenarios.Cca;

namespace MlNetExt.Cli.Commands;

/// <summary><c>mlnetext cca</c>.</summary>
internal static class CcaCommand
{
    public static Command Create(CommandLineText commandLine)
    {
        var common = new CommonOptions();
        var data = new Option<string>("--data", "-d") { Description = "CSV or TSV file with a header row (with --data-b: the file holding the --view-a columns).", Required = true };
        var dataB = new Option<string?>("--data-b") { Description = "A second CSV/TSV file holding the --view-b columns; its rows are matched to --data's rows by --key "
            + "(an inner join: rows whose key has no partner are left out and counted in the log and report; duplicate keys are an error). "
            + "The joined rows are saved as joined.csv in the run folder, the file evaluate and predict read." };
        var key = new Option<string?>("--key") { Description = "With --data-b: the column both files share that identifies a row (an id, a subject, a timestamp)." };
        var separator = new Option<string?>("--separator") { Description = "Field separator: one character, 'tab', 'comma' or 'semicolon' (default: tab for .tsv, else comma)." };
        var viewA = new Option<string[]>("--view-a") { Description = "The first view's numeric columns (repeat or separate with commas).", Required = true, AllowMultipleArgumentsPerToken = true };
        var viewB = new Option<string[]>("--view-b") { Description = "The second view's numeric columns.", Required = true, AllowMultipleArgumentsPerToken = true };
        var method = new Option<string>("--method") { Description = "deep (DeepCca; linear CCA is fitted alongside as the baseline) or linear (LinearCca).", DefaultValueFactory = _ => "deep" };
        method.AcceptOnlyFromAmong("deep", "linear");
        var components = new Option<int>("--components") { Description = "Number of canonical pairs.", DefaultValueFactory = _ => 2 };
        var layers = new Option<string?>("--hidden-layers") { Description = "Deep CCA encoder hidden widths, e.g. 64,64." };
        var regularization = new Option<double>("--regularization") { Description = "Ridge added to each view's covariance.", DefaultValueFactory = _ => 1e-3 };

        var command = new Command(CcaScenario.CommandName, "Canonical correlation analysis (deep or linear) of two groups of numeric columns of a CSV/TSV file, "
            + "or of two files joined by a key column (--data-b, --key).");
        foreach (var option in new Option[] { data, dataB, key, separator, viewA, viewB, method, components, layers, regularization })
            command.Options.Add(option);
        common.AddTo(command);
        command.SetAction(result =>
        {
            var console = new ToolConsole(common.Verbosity.Get(result));
            var library = new MlNetExt.Embeddings.Cca.DeepCcaOptions();
            var defaults = new CcaSettings { Epochs = library.Epochs, BatchSize = library.BatchSize, LearningRate = library.LearningRate, Threads = 1 };
            string path = result.GetValue(data)!;
            char sep = CsvTable.SeparatorFor(path, result.GetValue(separator));
            string[] a = CommonOptions.List(result, viewA), b = CommonOptions.List(result, viewB);
            string? pathB = result.GetValue(dataB), keyColumn = result.GetValue(key);
            if (pathB is null && keyColumn is not null)
                throw new UserInputException("--key matches the rows of two files; give the second file with --data-b (or leave --key out for one file).");
            if (pathB is not null && keyColumn is null)
                throw new UserInputException("--data-b needs --key: the column both files share that identifies a row.");
            char sepB = pathB is null ? sep : CsvTable.SeparatorFor(pathB, result.GetValue(separator));
            var settings = common.Apply(result, defaults) with
            {
                Data = Path.GetFullPath(path),
                Separator = sep == '\t' ? "\\t" : sep.ToString(),
                DataB = pathB is null ? null : Path.GetFullPath(pathB),
                SeparatorB = sepB == '\t' ? "\\t" : sepB.ToString(),
                Key = keyColumn,
                ViewA = a,
                ViewB = b,
                Features = [.. a, .. b],
                Method = result.GetValue(method)!,
                Components = result.GetValue(components),
                HiddenLayers = CommonOptions.ParseWidths(result.GetValue(layers) ?? "64,64", "--hidden-layers"),
                Regularization = result.GetValue(regularization),
            };
            if (settings.Components < 1 || settings.Components > Math.Min(a.Length, b.Length))
                throw new UserInputException($"--components must be between 1 and the smaller view's column count ({Math.Min(a.Length, b.Length)}); found {settings.Components}.");
            var overlap = a.Intersect(b, StringComparer.Ordinal).FirstOrDefault();
            if (overlap is not null)
                throw new UserInputException($"column '{overlap}' is in both --view-a and --view-b; give each column to one view.");
            if (!(settings.Regularization >= 0))
                throw new UserInputException($"--regularization must be 0 or more; found {settings.Regularization}.");
            if (!File.Exists(settings.Data))
                throw new UserInputException($"--data '{path}' does not exist; give a CSV or TSV file with a header row.");
            if (settings.DataB is not null && !File.Exists(settings.DataB))
                throw new UserInputException($"--data-b '{pathB}' does not exist; give a CSV or TSV file with a header row.");
            return TrainingRunner.Run(new CcaScenario(), settings, result.GetValue(common.Output), commandLine.Text, console);
        });
        return command;
    }
}
