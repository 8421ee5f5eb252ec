using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Consumption;
using MlNetExt.Cli.Runs;
using MlNetExt.Cli.Scenarios;
using Spectre.Console;

namespace MlNetExt.Cli.Commands;

/// <summary>
/// <c>mlnetext predict</c>: scores one file, a CSV or a folder with a run's model.zip, loaded with plain
/// <c>mlContext.Model.Load</c> exactly as the generated consumption project loads it, and prints a table or JSON on
/// standard output (messages go to standard error).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A run folder (or its model.zip).", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "What to predict for: a CSV/TSV file (tabular runs), an image, a folder of images or a CSV of image paths.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print a JSON array (one object per row: \"row\" and the model's output columns)." };
        var rows = new Option<int?>("--rows") { Description = "Predict for the first N rows only." };
        var verbosity = new VerbosityOptions();
        var command = new Command("predict", "Predict with a trained run's model.zip for a file, a CSV or a folder; a table or JSON on standard output.");
        command.Options.Add(model);
        command.Options.Add(input);
        command.Options.Add(json);
        command.Options.Add(rows);
        verbosity.AddTo(command);
        command.SetAction(result =>
        {
            var console = new ToolConsole(verbosity.Get(result), messagesToStandardError: true);
            var run = RunLocation.Find(result.GetValue(model)!, "--model");
            var config = run.ReadConfig("predict");
            var scenario = ScenarioCatalog.Get(config.Scenario);
            var settings = config.SettingsAs(scenario.SettingsType);
            string inputPath = Path.GetFullPath(result.GetValue(input)!);
            if (!File.Exists(inputPath) && !Directory.Exists(inputPath))
                throw new UserInputException($"--input '{result.GetValue(input)}' does not exist.");
            int? limit = result.GetValue(rows);
            if (limit is < 1)
                throw new UserInputException($"--rows must be at least 1; found {limit}.");

            var ml = new MLContext(seed: 0);
            ITransformer loaded = ml.Model.Load(run.Model, out var schema);
            var (data, names) = scenario.ReadPredictionInput(ml, settings, schema, inputPath);
            var predictions = Read(loaded.Transform(data), scenario.PredictionOutputs(settings), limit ?? int.MaxValue);
            scenario.Annotate(run.Folder, predictions);
            IReadOnlyList<ConsumeColumn> outputs = [.. scenario.PredictionOutputs(settings), .. scenario.PredictionExtras];
            console.Detail($"{predictions.Count} predictions with {run.Model}");
            if (result.GetValue(json))
                System.Console.Out.WriteLine(Json(predictions, names));
            else
                Table(predictions, names, outputs, console);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The output columns of every row, as the consumption project's ModelOutput holds them.</summary>
    public static List<Dictionary<string, object?>> Read(IDataView scored, IReadOnlyList<ConsumeColumn> outputs, int limit)
    {
        var columns = outputs.Select(o => scored.Schema.GetColumnOrNull(o.Name)
            ?? throw new InvalidOperationException($"The model's output has no column '{o.Name}'.")).ToArray();
        var rows = new List<Dictionary<string, object?>>();
        using var cursor = scored.GetRowCursor(columns);
        var getters = columns.Select((c, i) => Getter(cursor, c, outputs[i].ClrType)).ToArray();
        while (rows.Count < limit && cursor.MoveNext())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (int i = 0; i < columns.Length; i++)
                row[outputs[i].Name] = getters[i]();
            rows.Add(row);
        }
        return rows;
    }

    private static Func<object?> Getter(DataViewRowCursor cursor, DataViewSchema.Column column, string clrType)
    {
        switch (clrType)
        {
            case "float":
            {
                var get = cursor.GetGetter<float>(column);
                return () => { float v = 0; get(ref v); return v; };
            }
            case "float[]":
            {
                var get = cursor.GetGetter<VBuffer<float>>(column);
                return () => { VBuffer<float> v = default; get(ref v); return v.DenseValues().ToArray(); };
            }
            case "bool":
            {
                var get = cursor.GetGetter<bool>(column);
                return () => { bool v = false; get(ref v); return v; };
            }
            default:
            {
                var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                return () => { ReadOnlyMemory<char> v = default; get(ref v); return v.ToString(); };
            }
        }
    }

    private static string Json(List<Dictionary<string, object?>> predictions, IReadOnlyList<string> names)
    {
        var rows = predictions.Select((p, i) =>
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal) { ["row"] = names[i] };
            foreach (var (key, value) in p) row[key] = value;
            return row;
        });
        return JsonSerializer.Serialize(rows, new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        });
    }

    private static void Table(List<Dictionary<string, object?>> predictions, IReadOnlyList<string> names, IReadOnlyList<ConsumeColumn> outputs, ToolConsole console)
    {
        string[] header = ["row", .. outputs.Select(o => o.Name)];
        var cells = predictions.Select((p, i) => new[] { names[i] }.Concat(outputs.Select(o => Format(p[o.Name]))).ToArray()).ToList();
        if (!System.Console.IsOutputRedirected)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var h in header) table.AddColumn(Markup.Escape(h));
            foreach (var row in cells) table.AddRow(row.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
            return;
        }
        System.Console.Out.WriteLine(string.Join('\t', header));
        foreach (var row in cells)
            System.Console.Out.WriteLine(string.Join('\t', row));
    }

    private static string Format(object? value) => value switch
    {
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float[] v => "[" + string.Join(", ", v.Take(8).Select(x => x.ToString("G4", CultureInfo.InvariantCulture))) + (v.Length > 8 ? ", ..." : "") + "]",
        null => "",
        _ => value.ToString() ?? "",
    };
}
