using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Data;

namespace MlNetExt.Cli.Scenarios.Tabular;

/// <summary>Reads a CSV/TSV file to predict for: each column of the saved model's input schema is found in the header by
/// name (any order; label columns may be absent), and read as the model was trained (Single or text).</summary>
internal static class TabularPrediction
{
    public static (IDataView Data, IReadOnlyList<string> RowNames) Read(MLContext ml, TabularSettings settings, DataViewSchema modelInput, string input)
    {
        if (Directory.Exists(input))
            throw new UserInputException($"--input '{input}' is a folder; this model predicts from a CSV/TSV file with a header row.");
        var table = CsvTable.Read(input, CsvTable.SeparatorFor(input, settings.SeparatorChar.ToString()));
        var needed = new HashSet<string>(settings.Features.Concat(settings.OtherRoles()), StringComparer.Ordinal);
        var columns = new List<TabularColumn>();
        var missing = new List<string>();
        foreach (var column in modelInput)
        {
            int index = table.Header.ToList().IndexOf(column.Name);
            if (index < 0)
            {
                if (needed.Contains(column.Name)) missing.Add(column.Name);
                continue;
            }
            bool numeric = column.Type is NumberDataViewType;
            if (numeric && !table.IsNumeric(index))
                throw new UserInputException($"column '{column.Name}' of '{input}' holds text; the model reads numbers there.");
            columns.Add(new TabularColumn(column.Name, index, numeric, needed.Contains(column.Name) ? ColumnRole.Feature : ColumnRole.Ignored));
        }
        if (missing.Count > 0)
            throw new UserInputException($"'{input}' lacks the column(s) {string.Join(", ", missing)} that the model reads; its columns are: {string.Join(", ", table.Header)}.");
        var dataset = TabularDataset.FromTable(ml, table, columns);
        return (dataset.Data, Enumerable.Range(0, table.Rows.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
    }
}
