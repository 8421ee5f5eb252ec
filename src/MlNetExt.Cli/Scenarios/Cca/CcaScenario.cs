using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Console;
using MlNetExt.Cli.Consumption;
using MlNetExt.Cli.Data;
using MlNetExt.Cli.Reporting;
using MlNetExt.Cli.Runs;
using MlNetExt.Cli.Scenarios.Tabular;
using MlNetExt.Core.Models;
using MlNetExt.Embeddings.Cca;

namespace MlNetExt.Cli.Scenarios.Cca;

/// <summary>
/// cca: <c>dl.Transforms.DeepCca</c> or <c>dl.Transforms.LinearCca</c> on two groups of numeric columns. The saved pipeline
/// replaces missing numbers by the training mean, concatenates each group into ViewA / ViewB and projects both
/// (ViewAEmbedding, ViewBEmbedding). With a second file (<see cref="CcaSettings.DataB"/>) the two files are first joined by
/// the key column (<see cref="KeyJoin"/>: an inner join that counts the rows it leaves out) and the joined rows, saved as
/// joined.csv, are the data set; evaluate and predict read one file with both views' columns. Held-out metrics: the Pearson correlation of each canonical pair on the test rows.
/// </summary>
internal sealed class CcaScenario : ITrainingScenario
{
    public const string CommandName = "cca";

    /// <summary>The joined rows of a two-file run, in the run folder.</summary>
    public const string JoinedFile = "joined.csv";
    private const string ViewA = "ViewA", ViewB = "ViewB", EmbeddingA = "ViewAEmbedding", EmbeddingB = "ViewBEmbedding";

    public string Name => CommandName;

    public string Title => "Canonical correlation analysis of two views";

    public Type SettingsType => typeof(CcaSettings);

    public TrainedRun Train(ScenarioContext context, TrainingSettings trainingSettings)
    {
        var settings = (CcaSettings)trainingSettings;
        var ml = context.ML;
        context.Display.SetPhase("loading data");
        KeyJoin? join = null;
        var dataset = context.Timings.Measure("load data", () => Load(ml, settings, out join));
        if (join?.DroppedSummary(Path.GetFileName(settings.Data), Path.GetFileName(settings.DataB!)) is string dropped)
        {
            context.Console.Warning($"joined {join.Table.Rows.Count} rows by --key '{settings.Key}': {dropped}.");
            context.Log.Write($"join by '{settings.Key}': {join.Table.Rows.Count} rows; {dropped}");
        }
        var split = DataSplit.Create(dataset.RowCount, settings.TestFraction, settings.ValidationFraction, settings.Seed);
        if (split.Count(SplitPart.Test) < settings.Components + 2)
            throw new UserInputException($"{split.Count(SplitPart.Test)} test rows cannot measure {settings.Components} canonical correlations; raise --test-fraction or add rows.");
        var train = dataset.Rows(split.Rows(SplitPart.Train));
        var validation = dataset.Rows(split.Rows(SplitPart.Validation));
        var test = dataset.Rows(split.Rows(SplitPart.Test));

        context.Display.SetPhase("training");
        ITransformer views, cca;
        CcaModel? linearBaseline = null;
        using (context.Timings.Measure("train"))
        {
            views = ViewPipeline(ml, settings).Fit(train);
            var trainViews = views.Transform(train);
            if (settings.Method == "linear")
                cca = ml.DeepLearning().Transforms.LinearCca(Linear(settings)).Fit(trainViews);
            else
            {
                var options = context.Configure(new DeepCcaOptions(), settings);
                options.ViewAColumnName = ViewA;
                options.ViewBColumnName = ViewB;
                options.ViewAOutputColumnName = EmbeddingA;
                options.ViewBOutputColumnName = EmbeddingB;
                options.Components = settings.Components;
                options.HiddenLayers = settings.HiddenLayers;
                options.Regularization = settings.Regularization;
                options.ValidationSet = split.Count(SplitPart.Validation) > 0 ? views.Transform(validation) : null;
                cca = ml.DeepLearning().Transforms.DeepCca(options).Fit(trainViews);
                linearBaseline = ml.DeepLearning().Transforms.LinearCca(Linear(settings)).Fit(trainViews);
            }
            context.TrainingFinished();
        }
        var model = new TransformerChain<ITransformer>(views is IEnumerable<ITransformer> parts ? [.. parts, cca] : [views, cca]);

        context.Display.SetPhase("evaluating");
        var evaluation = context.Timings.Measure("evaluate", () => Evaluate(model, test, "test rows of the split", settings,
            Models.Find<CcaModel>(cca)?.CanonicalCorrelations,
            linearBaseline is null ? null : HeldOutCorrelations(new TransformerChain<ITransformer>(views, linearBaseline).Transform(test))));
        var network = Models.Find<OnnxModelTransformer>(cca);
        return new TrainedRun
        {
            Model = model,
            InputSchema = dataset.Data.Schema,
            Onnx = network?.GetOnnxModel() ?? SavedOnnx.First(ml, model, dataset.Data.Schema),
            OnnxDescription = network is not null ? "both views' projections in one graph, with mlnetext.* metadata"
                : "the first ONNX network of model.zip's pipeline (the view A projection; 'mlnetext export' writes it too)",
            History = network is not null ? RunHistory.From(network.History)
                : settings.Method == "linear" ? RunHistory.Empty : RunHistory.FromEpochs(context.ReportedEpochs, context.Interrupt.StoppedTraining),
            Evaluation = evaluation,
            SplitCsv = split.ToCsv(),
            DataSummaryHtml = Summary(dataset, settings, split, join),
            AdditionalFiles = join is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [JoinedFile] = join.Table.ToText() },
            Consume = new ConsumeSpec(dataset.Columns.Select(c => new ConsumeColumn(c.Name, c.Numeric ? "float" : "string", c.Index)).ToArray(),
                Outputs(settings.Components), dataset.Columns.ToDictionary(c => c.Name, c => dataset.Table.Rows[0][c.Index].Trim()),
                Images: false, $"row 0 of {(join is null ? Path.GetFileName(settings.Data) : JoinedFile)}"),
        };
    }

    public (Evaluation Evaluation, string DataSummaryHtml) Evaluate(ScenarioContext context, TrainingSettings trainingSettings, ITransformer model, string data)
    {
        // New data is one file with both views' columns (for a two-file run, joined like the run's joined.csv).
        var settings = (CcaSettings)trainingSettings with { Data = data, DataB = null, Key = null };
        var dataset = context.Timings.Measure("load data", () => Load(context.ML, settings, out _));
        var evaluation = context.Timings.Measure("evaluate", () => Evaluate(model, dataset.Data, Path.GetFileName(data), settings,
            Models.Find<CcaModel>(model)?.CanonicalCorrelations, null));
        return (evaluation, Summary(dataset, settings, DataSplit.All(dataset.RowCount, SplitPart.Test), null));
    }

    public (IDataView Data, IReadOnlyList<string> RowNames) ReadPredictionInput(MLContext ml, TrainingSettings settings, DataViewSchema modelInput, string input) =>
        TabularPrediction.Read(ml, (TabularSettings)settings, modelInput, input);

    public IReadOnlyList<ConsumeColumn> PredictionOutputs(TrainingSettings settings) => Outputs(((CcaSettings)settings).Components);

    private static ConsumeColumn[] Outputs(int components) =>
        [new ConsumeColumn(EmbeddingA, "float[]", VectorSize: components), new ConsumeColumn(EmbeddingB, "float[]", VectorSize: components)];

    private static LinearCcaOptions Linear(CcaSettings settings) => new()
    {
        ViewAColumnName = ViewA, ViewBColumnName = ViewB, ViewAOutputColumnName = EmbeddingA, ViewBOutputColumnName = EmbeddingB,
        Components = settings.Components, Regularization = settings.Regularization,
    };

    private static TabularDataset Load(MLContext ml, CcaSettings settings, out KeyJoin? join)
    {
        TabularDataset dataset;
        join = null;
        if (settings.DataB is null)
            dataset = TabularDataset.Load(ml, settings.Data, settings.SeparatorChar, [], null, [.. settings.ViewA, .. settings.ViewB], settings.Ignore);
        else
        {
            var first = CsvTable.Read(settings.Data, settings.SeparatorChar);
            var second = CsvTable.Read(settings.DataB, settings.SeparatorB == "\\t" ? '\t' : settings.SeparatorB[0]);
            join = KeyJoin.Join(first, second, settings.Key!, settings.ViewA, "--view-a", settings.ViewB, "--view-b");
            var table = join.Table;
            dataset = TabularDataset.FromTable(ml, table,
                table.Header.Select((name, i) => new TabularColumn(name, i, table.IsNumeric(i), i == 0 ? ColumnRole.Key : ColumnRole.Feature)).ToList());
        }
        foreach (var column in dataset.WithRole(ColumnRole.Feature))
            if (!column.Numeric)
            {
                string file = settings.DataB is not null && settings.ViewB.Contains(column.Name) ? settings.DataB : settings.Data;
                throw new UserInputException($"column '{column.Name}' of '{Path.GetFileName(file)}' holds text; CCA views must be numeric columns.");
            }
        return dataset;
    }

    private static IEstimator<ITransformer> ViewPipeline(MLContext ml, CcaSettings settings) =>
        ml.Transforms.ReplaceMissingValues([.. settings.ViewA.Concat(settings.ViewB).Select(c => new InputOutputColumnPair(c))])
            .Append(ml.Transforms.Concatenate(ViewA, settings.ViewA))
            .Append(ml.Transforms.Concatenate(ViewB, settings.ViewB));

    /// <summary>The Pearson correlation of each canonical pair (ViewAEmbedding[k], ViewBEmbedding[k]) over the rows.</summary>
    public static double[] HeldOutCorrelations(IDataView scored)
    {
        var a = scored.GetColumn<float[]>(EmbeddingA).ToArray();
        var b = scored.GetColumn<float[]>(EmbeddingB).ToArray();
        return Enumerable.Range(0, a[0].Length).Select(k => Pearson(a.Select(r => (double)r[k]).ToArray(), b.Select(r => (double)r[k]).ToArray())).ToArray();
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : 0;
    }

    private Evaluation Evaluate(ITransformer model, IDataView rows, string source, CcaSettings settings, IReadOnlyList<double>? trainingCorrelations,
        double[]? linearBaseline)
    {
        var scored = model.Transform(rows);
        double[] correlations = HeldOutCorrelations(scored);
        var headline = new Dictionary<string, double>();
        for (int k = 0; k < correlations.Length; k++)
            headline[$"canonical_correlation_{k + 1}"] = correlations[k];
        headline["mean_canonical_correlation"] = correlations.Average();
        var descriptions = headline.Keys.ToDictionary(k => k, k => k.StartsWith("mean", StringComparison.Ordinal)
            ? "mean over the canonical pairs (1 is perfect, 0 none)" : "Pearson correlation of the pair's projections on these rows");
        var header = new List<string> { "pair", "held-out correlation" };
        if (trainingCorrelations is not null) header.Add("training correlation");
        if (linearBaseline is not null) header.Add("linear CCA, held out");
        var table = HtmlReport.Table(header, Enumerable.Range(0, correlations.Length).Select(k =>
        {
            var row = new List<string> { (k + 1).ToString(CultureInfo.InvariantCulture), HtmlReport.Number(correlations[k]) };
            if (trainingCorrelations is not null) row.Add(k < trainingCorrelations.Count ? HtmlReport.Number(trainingCorrelations[k]) : "");
            if (linearBaseline is not null) row.Add(HtmlReport.Number(linearBaseline[k]));
            return (IReadOnlyList<string>)row;
        }), id: "canonical-correlations");
        var a = scored.GetColumn<float[]>(EmbeddingA).Select(r => (double)r[0]).ToArray();
        var b = scored.GetColumn<float[]>(EmbeddingB).Select(r => (double)r[0]).ToArray();
        string plot = HtmlReport.Figure(new SvgPlot("First canonical pair", "view A projection 1", "view B projection 1").Points("rows", a, b).Render(),
            "Each row's first projection of view A against view B (a tight diagonal is a high correlation)");
        return new Evaluation
        {
            Metrics = new RunMetrics
            {
                Scenario = Name,
                EvaluatedOn = source,
                Rows = a.Length,
                Metrics = headline,
                Details = new { TrainingCorrelations = trainingCorrelations, LinearCcaHeldOut = linearBaseline },
            },
            Sections = [("correlations", "Canonical correlations", table + plot)],
            Descriptions = descriptions,
            Headline = $"{settings.Method} CCA of {settings.ViewA.Length} + {settings.ViewB.Length} columns: held-out canonical correlations {Join(correlations)} on {a.Length} rows ({source})."
                + (linearBaseline is null ? "" : $" Linear CCA: {Join(linearBaseline)}."),
        };
    }

    private static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)));

    private static string Summary(TabularDataset dataset, CcaSettings settings, DataSplit split, KeyJoin? join)
    {
        var rows = new List<IReadOnlyList<string>>();
        if (join is null)
            rows.Add(["file", dataset.Table.FilePath]);
        else
        {
            rows.Add(["view A file", settings.Data]);
            rows.Add(["view B file", settings.DataB!]);
            rows.Add(["joined by key", $"{settings.Key} (the joined rows are saved as {JoinedFile})"]);
            rows.Add(["rows left out (key with no partner)",
                $"{join.UnmatchedFirst.Count} of {Path.GetFileName(settings.Data)}, {join.UnmatchedSecond.Count} of {Path.GetFileName(settings.DataB)}"]);
        }
        rows.Add(["rows", dataset.RowCount.ToString("N0", CultureInfo.InvariantCulture)]);
        rows.Add(["train / validation / test rows", $"{split.Count(SplitPart.Train)} / {split.Count(SplitPart.Validation)} / {split.Count(SplitPart.Test)}"]);
        rows.Add(["view A", string.Join(", ", settings.ViewA)]);
        rows.Add(["view B", string.Join(", ", settings.ViewB)]);
        rows.Add(["method", settings.Method]);
        return HtmlReport.Table(["", ""], rows);
    }
}
