using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Console;

namespace MlNetExt.Cli.Data;

/// <summary>
/// A CSV/TSV file checked by <see cref="CsvTable"/> and loaded by ML.NET's TextLoader with one column per header entry:
/// Single where every value is a number (empty values are missing), text otherwise. The model is saved with this schema,
/// so <c>predict</c> and the consumption project read files the same way.
/// </summary>
internal sealed class TabularDataset
{
    private TabularDataset(CsvTable table, IReadOnlyList<TabularColumn> columns, IDataView data, TextLoader.Column[] loaderColumns)
    {
        Table = table;
        Columns = columns;
        Data = data;
        LoaderColumns = loaderColumns;
    }

    public CsvTable Table { get; }

    public IReadOnlyList<TabularColumn> Columns { get; }

    /// <summary>Every row, as TextLoader reads them.</summary>
    public IDataView Data { get; }

    public TextLoader.Column[] LoaderColumns { get; }

    public int RowCount => Table.Rows.Count;

    public IEnumerable<TabularColumn> WithRole(ColumnRole role) => Columns.Where(c => c.Role == role);

    public TabularColumn this[string name] => Columns.First(c => c.Name == name);

    /// <summary>
    /// Reads <paramref name="path"/> and gives each column a role: the named label, exposure and key columns, the ignored
    /// ones, and as features either <paramref name="features"/> or every other column.
    /// </summary>
    public static TabularDataset Load(MLContext ml, string path, char separator, IReadOnlyList<string> labels, string? exposure,
        IReadOnlyList<string> features, IReadOnlyList<string> ignored, IReadOnlyList<string>? keys = null)
    {
        var table = CsvTable.Read(path, separator);
        var roles = new Dictionary<string, ColumnRole>(StringComparer.Ordinal);
        void Assign(string name, ColumnRole role, string option)
        {
            table.IndexOf(name, option);
            if (roles.TryGetValue(name, out var existing) && existing != role)
                throw new UserInputException($"column '{name}' is given both as {Describe(existing)} and as {Describe(role)}; give it one role.");
            roles[name] = role;
        }
        foreach (var label in labels) Assign(label, ColumnRole.Label, "--label");
        if (exposure is not null) Assign(exposure, ColumnRole.Exposure, "--exposure");
        foreach (var key in keys ?? []) Assign(key, ColumnRole.Key, "--key");
        foreach (var name in ignored) Assign(name, ColumnRole.Ignored, "--ignore");
        foreach (var name in features) Assign(name, ColumnRole.Feature, "--features");

        var columns = table.Header.Select((name, i) => new TabularColumn(name, i, table.IsNumeric(i),
            roles.TryGetValue(name, out var role) ? role : features.Count == 0 ? ColumnRole.Feature : ColumnRole.Ignored)).ToList();
        if (!columns.Any(c => c.Role == ColumnRole.Feature))
            throw new UserInputException($"'{Path.GetFileName(path)}' has no feature column left (all are labels, keys or ignored); its columns are: {string.Join(", ", table.Header)}.");
        return FromTable(ml, table, columns);
    }

    /// <summary>Loads <paramref name="table"/> with the given columns.</summary>
    public static TabularDataset FromTable(MLContext ml, CsvTable table, IReadOnlyList<TabularColumn> columns)
    {
        var loaderColumns = columns.Select(c => new TextLoader.Column(c.Name, c.Numeric ? DataKind.Single : DataKind.String, c.Index)).ToArray();
        var data = Loader(ml, loaderColumns, table.Separator).Load(table.Source());
        return new TabularDataset(table, columns, data, loaderColumns);
    }

    /// <summary>The TextLoader every command uses for these columns.</summary>
    public static TextLoader Loader(MLContext ml, TextLoader.Column[] columns, char separator) =>
        ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = columns,
            HasHeader = true,
            Separators = [separator],
            AllowQuoting = true,
            TrimWhitespace = true,
        });

    /// <summary>A subset of the rows.</summary>
    public IDataView Rows(IReadOnlyCollection<int> rows) => new RowSubsetDataView(Data, rows, RowCount);

    private static string Describe(ColumnRole role) => role switch
    {
        ColumnRole.Label => "--label",
        ColumnRole.Exposure => "--exposure",
        ColumnRole.Key => "--key",
        ColumnRole.Ignored => "--ignore",
        _ => "--features",
    };
}
