using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Consumption;
using MlNetExt.Cli.Data;
using MlNetExt.Cli.Reporting;

namespace MlNetExt.Cli.Scenarios.Tabular;

/// <summary>
/// The data of a tabular run: the main file (split into train / validation / test unless separate files are given), the
/// label column the trainer reads (several label columns are concatenated into one vector column, outside the saved
/// model), and the feature pipeline that is saved with the model (missing numbers replaced by the training mean, text
/// columns one-hot encoded as ML.NET does, everything concatenated into <c>Features</c>).
/// </summary>
internal sealed class TabularData
{
    public const string FeatureColumn = "Features";

    private TabularData(TabularDataset dataset, DataSplit split, IDataView train, IDataView validation, IDataView test,
        string labelColumn, int labelWidth, IReadOnlyList<string> labels, string testSource, string? validationSource)
    {
        Dataset = dataset;
        Split = split;
        Train = train;
        Validation = validation;
        Test = test;
        LabelColumn = labelColumn;
        LabelWidth = labelWidth;
        Labels = labels;
        TestSource = testSource;
        ValidationSource = validationSource;
    }

    public TabularDataset Dataset { get; }

    public DataSplit Split { get; }

    /// <summary>Training rows with the label column.</summary>
    public IDataView Train { get; }

    /// <summary>Validation rows with the label column (empty view when there is no validation).</summary>
    public IDataView Validation { get; }

    public bool HasValidation => Validation.GetRowCount() > 0;

    /// <summary>Held-out rows with the label column.</summary>
    public IDataView Test { get; }

    /// <summary>The column the trainer and evaluator read as the label.</summary>
    public string LabelColumn { get; }

    public int LabelWidth { get; }

    public IReadOnlyList<string> Labels { get; }

    public string TestSource { get; }

    public string? ValidationSource { get; }

    /// <summary>Reads and checks the data; <paramref name="checkLabel"/> checks every label value (and names row and column).</summary>
    public static TabularData Load(MLContext ml, TabularSettings settings, Func<double, string?> checkLabel, string labelRole,
        string? exposure = null)
    {
        if (settings.Labels.Length == 0)
            throw new UserInputException("give the label column with --label (several --label options give one output each).");
        var dataset = TabularDataset.Load(ml, settings.Data, settings.SeparatorChar, settings.Labels, exposure, settings.Features, settings.Ignore);
        CheckValues(dataset.Table, settings.Labels, exposure, checkLabel, labelRole);

        IDataView? testFile = null, validationFile = null;
        if (settings.TestData is string testPath)
            testFile = LoadSameColumns(ml, dataset, testPath, "--test-data", settings.Labels, exposure, checkLabel, labelRole);
        if (settings.ValidationData is string validationPath)
            validationFile = LoadSameColumns(ml, dataset, validationPath, "--validation-data", settings.Labels, exposure, checkLabel, labelRole);

        double testFraction = testFile is null ? settings.TestFraction : 0;
        double validationFraction = validationFile is null ? settings.ValidationFraction : 0;
        var split = DataSplit.Create(dataset.RowCount, testFraction, validationFraction, settings.Seed);
        if (split.Count(SplitPart.Train) == 0)
            throw new UserInputException($"'{Path.GetFileName(settings.Data)}' has {dataset.RowCount} rows: none is left for training; lower --test-fraction / --validation-fraction.");
        var test = testFile ?? dataset.Rows(split.Rows(SplitPart.Test));
        if (test.GetRowCount() == 0)
            throw new UserInputException("no rows are held out for the metrics; raise --test-fraction or give --test-data.");
        var validation = validationFile ?? dataset.Rows(split.Rows(SplitPart.Validation));

        string labelColumn = settings.Labels.Length == 1 ? settings.Labels[0] : Unused(dataset, "Label");
        IDataView WithLabel(IDataView view) => settings.Labels.Length == 1 ? view
            : ml.Transforms.Concatenate(labelColumn, settings.Labels).Fit(view).Transform(view);
        return new TabularData(dataset, split, WithLabel(dataset.Rows(split.Rows(SplitPart.Train))), WithLabel(validation), WithLabel(test),
            labelColumn, settings.Labels.Length, settings.Labels,
            settings.TestData is null ? "test rows of the split" : Path.GetFileName(settings.TestData),
            settings.ValidationData is null ? (validation.GetRowCount() > 0 ? "validation rows of the split" : null) : Path.GetFileName(settings.ValidationData));
    }

    /// <summary>Reads new data with the roles of a trained run: every row is evaluated (nothing is trained on).</summary>
    public static TabularData LoadAll(MLContext ml, TabularSettings settings, Func<double, string?> checkLabel, string labelRole, string? exposure = null)
    {
        var dataset = TabularDataset.Load(ml, settings.Data, settings.SeparatorChar, settings.Labels, exposure, settings.Features,
            Array.Empty<string>());
        CheckValues(dataset.Table, settings.Labels, exposure, checkLabel, labelRole);
        var split = DataSplit.All(dataset.RowCount, SplitPart.Test);
        string labelColumn = settings.Labels.Length == 1 ? settings.Labels[0] : Unused(dataset, "Label");
        IDataView WithLabel(IDataView view) => settings.Labels.Length == 1 ? view
            : ml.Transforms.Concatenate(labelColumn, settings.Labels).Fit(view).Transform(view);
        var none = dataset.Rows(Array.Empty<int>());
        return new TabularData(dataset, split, WithLabel(none), WithLabel(none), WithLabel(dataset.Data), labelColumn, settings.Labels.Length,
            settings.Labels, Path.GetFileName(settings.Data), null);
    }

    /// <summary>Fills in the feature columns the settings leave implicit (every column without another role), from the header.</summary>
    public static string[] ResolveFeatures(TabularSettings settings)
    {
        if (settings.Features.Length > 0)
            return settings.Features;
        string? header = File.Exists(settings.Data) ? File.ReadLines(settings.Data).FirstOrDefault() : null;
        if (header is null)
            return [];
        var taken = new HashSet<string>(settings.Labels.Concat(settings.Ignore).Concat(settings.OtherRoles()), StringComparer.Ordinal);
        return header.Split(settings.SeparatorChar).Select(h => h.Trim().Trim('"')).Where(h => h.Length > 0 && !taken.Contains(h)).ToArray();
    }

    /// <summary>The saved feature pipeline: missing numbers -> training mean, text -> one-hot, then Features.</summary>
    public IEstimator<ITransformer> FeaturePipeline(MLContext ml)
    {
        var features = Dataset.WithRole(ColumnRole.Feature).ToArray();
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        var numeric = features.Where(c => c.Numeric).Select(c => new InputOutputColumnPair(c.Name)).ToArray();
        if (numeric.Length > 0)
            pipeline = pipeline.Append(ml.Transforms.ReplaceMissingValues(numeric));
        var text = features.Where(c => !c.Numeric).Select(c => new InputOutputColumnPair(c.Name)).ToArray();
        if (text.Length > 0)
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding(text));
        return pipeline.Append(ml.Transforms.Concatenate(FeatureColumn, features.Select(c => c.Name).ToArray()));
    }

    /// <summary>The values of each of <paramref name="columns"/> (a float scalar or vector each), rows x outputs, read in one
    /// pass so that scored data is scored once.</summary>
    public static float[][][] ReadVectors(IDataView data, params string[] columns)
    {
        var cols = columns.Select(c => data.Schema[c]).ToArray();
        var rows = cols.Select(_ => new List<float[]>()).ToArray();
        using var cursor = data.GetRowCursor(cols);
        var readers = cols.Select(col => RowReader(cursor, col)).ToArray();
        while (cursor.MoveNext())
            for (int c = 0; c < readers.Length; c++)
                rows[c].Add(readers[c]());
        return rows.Select(r => r.ToArray()).ToArray();
    }

    /// <summary>Reads the current row's value of a float scalar or vector column as an array.</summary>
    private static Func<float[]> RowReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            return () =>
            {
                getter(ref buffer);
                return buffer.DenseValues().ToArray();
            };
        }
        var scalar = cursor.GetGetter<float>(column);
        float value = 0;
        return () =>
        {
            scalar(ref value);
            return [value];
        };
    }

    /// <summary>The consumption project's inputs (every column of the file, as TextLoader reads it) and first example.</summary>
    public (IReadOnlyList<ConsumeColumn> Inputs, IReadOnlyDictionary<string, string> FirstExample) ConsumeInputs() =>
        (Dataset.Columns.Select(c => new ConsumeColumn(c.Name, c.Numeric ? "float" : "string", c.Index)).ToArray(),
         Dataset.Columns.ToDictionary(c => c.Name, c => Dataset.Table.Rows[0][c.Index].Trim()));

    /// <summary>The report's data section.</summary>
    public string SummaryHtml(string labelDescription)
    {
        var html = new StringBuilder();
        html.Append(HtmlReport.Table(["", ""],
        [
            ["file", Dataset.Table.FilePath],
            ["rows", Dataset.RowCount.ToString("N0", CultureInfo.InvariantCulture)],
            ["train rows", Count(Train)],
            ["validation rows", HasValidation ? $"{Count(Validation)} ({ValidationSource})" : "none"],
            ["test rows (metrics)", $"{Count(Test)} ({TestSource})"],
            ["label", labelDescription],
        ]));
        html.Append(HtmlReport.Table(["column", "type", "role", "values"], Dataset.Columns.Select(c => (IReadOnlyList<string>)
            [c.Name, c.Numeric ? "number (Single)" : "text (one-hot encoded)" , c.Role.ToString().ToLowerInvariant(), Describe(c)])));
        return html.ToString();
    }

    private string Describe(TabularColumn column)
    {
        var values = Dataset.Table.Rows.Select(r => r[column.Index].Trim()).ToArray();
        int missing = values.Count(v => v.Length == 0);
        if (!column.Numeric)
            return $"{values.Distinct(StringComparer.Ordinal).Count()} distinct" + (missing > 0 ? $", {missing} empty" : "");
        var numbers = values.Where(v => v.Length > 0).Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        if (numbers.Length == 0) return "all empty";
        return string.Create(CultureInfo.InvariantCulture, $"min {numbers.Min():G4}, mean {numbers.Average():G4}, max {numbers.Max():G4}")
            + (missing > 0 ? $", {missing} missing (replaced by the training mean)" : "");
    }

    private static string Count(IDataView view) => (view.GetRowCount() ?? 0).ToString("N0", CultureInfo.InvariantCulture);

    private static void CheckValues(CsvTable table, IReadOnlyList<string> labels, string? exposure, Func<double, string?> checkLabel, string labelRole)
    {
        foreach (var label in labels)
            table.Numbers(table.IndexOf(label, "--label"), labelRole, checkLabel);
        if (exposure is not null)
            table.Numbers(table.IndexOf(exposure, "--exposure"), "exposure", v => v > 0 ? null : "exposures must be positive");
    }

    private static IDataView LoadSameColumns(MLContext ml, TabularDataset main, string path, string option, IReadOnlyList<string> labels,
        string? exposure, Func<double, string?> checkLabel, string labelRole)
    {
        var table = CsvTable.Read(path, main.Table.Separator);
        if (!table.Header.SequenceEqual(main.Table.Header, StringComparer.Ordinal))
            throw new UserInputException($"{option} '{path}' must have the same columns as the data file in the same order; it has {string.Join(", ", table.Header)}.");
        foreach (var column in main.Columns.Where(c => c.Numeric && c.Role != ColumnRole.Ignored && !table.IsNumeric(c.Index)))
            throw new UserInputException($"column '{column.Name}' holds numbers in the data file but text in {option} '{path}'; fix the values.");
        CheckValues(table, labels, exposure, checkLabel, labelRole);
        return TabularDataset.FromTable(ml, table, main.Columns).Data;
    }

    private static string Unused(TabularDataset dataset, string name)
    {
        string candidate = name;
        for (int i = 2; dataset.Columns.Any(c => c.Name == candidate); i++)
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        return candidate;
    }
}
