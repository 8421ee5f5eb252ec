using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Consumption;
using MlNetExt.Cli.Reporting;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Evaluation;

namespace MlNetExt.Cli.Scenarios.Tabular;

/// <summary>count-regression: <c>dl.Regression.Trainers.NeuralPoisson</c> / <c>NeuralNegativeBinomial</c> on a CSV/TSV file,
/// evaluated with <c>dl.Regression.EvaluateCounts</c> on the held-out rows.</summary>
internal sealed class CountRegressionScenario : ITrainingScenario
{
    public const string CommandName = "count-regression";

    public string Name => CommandName;

    public string Title => "Neural count regression";

    public Type SettingsType => typeof(CountRegressionSettings);

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["mean_negative_log_likelihood"] = "mean Poisson NLL per observation, ln k! included (nats; lower is better)",
        ["mean_deviance"] = "mean Poisson deviance per observation (lower is better)",
        ["deviance_explained"] = "1 - D_model / D_null, null = each output's mean count (1 is perfect, 0 no better than the mean)",
        ["bits_per_spike"] = "log-likelihood gain over the training mean count, in bits per count (higher is better)",
        ["mean_negative_binomial_negative_log_likelihood"] = "mean negative-binomial NLL per observation with the fitted dispersion",
    };

    public TrainedRun Train(ScenarioContext context, TrainingSettings trainingSettings)
    {
        var settings = (CountRegressionSettings)trainingSettings;
        var ml = context.ML;
        var dl = ml.DeepLearning();
        context.Display.SetPhase("loading data");
        var data = context.Timings.Measure("load data", () => TabularData.Load(ml, settings, CountProblem, "count", settings.Exposure));

        context.Display.SetPhase("training");
        TransformerChain<CountRegressionTransformer> model;
        CountRegressionTransformer network;
        using (context.Timings.Measure("train"))
        {
            var features = data.FeaturePipeline(ml).Fit(data.Train);
            var options = context.Configure(settings.Likelihood == CountLikelihood.Poisson
                ? new NeuralPoissonOptions() : (NeuralCountTrainerOptions)new NeuralNegativeBinomialOptions(), settings);
            options.LabelColumnName = data.LabelColumn;
            options.FeatureColumnName = TabularData.FeatureColumn;
            options.ExposureColumnName = settings.Exposure;
            options.HiddenLayers = settings.HiddenLayers;
            options.Activation = settings.Activation;
            options.Dropout = settings.Dropout;
            options.ValidationSet = data.HasValidation ? features.Transform(data.Validation) : null;
            var trainer = options is NeuralPoissonOptions poisson
                ? (IEstimator<CountRegressionTransformer>)dl.Regression.Trainers.NeuralPoisson(poisson)
                : dl.Regression.Trainers.NeuralNegativeBinomial((NeuralNegativeBinomialOptions)options);
            network = trainer.Fit(features.Transform(data.Train));
            model = new TransformerChain<ITransformer>(features is IEnumerable<ITransformer> parts ? [.. parts] : [features]).Append(network);
            context.TrainingFinished();
        }

        context.Display.SetPhase("evaluating");
        var evaluation = context.Timings.Measure("evaluate", () => Evaluate(ml, model, network.Dispersion, data,
            ml.DeepLearning().Regression.ComputeMeanCounts(data.Train, data.LabelColumn), settings));
        var (inputs, first) = data.ConsumeInputs();
        return new TrainedRun
        {
            Model = model,
            InputSchema = data.Dataset.Data.Schema,
            Onnx = network.GetOnnxModel(),
            OnnxDescription = $"the exported network alone: input '{network.OnnxInputNames[0]}' (the standardised feature vector is computed inside; the one-hot and missing-value steps are in model.zip), output '{network.OnnxOutputName}' (expected counts); mlnetext.* metadata",
            History = Runs.RunHistory.From(network.History),
            Evaluation = evaluation,
            SplitCsv = data.Split.ToCsv(),
            DataSummaryHtml = data.SummaryHtml(LabelDescription(settings, data)),
            Consume = new ConsumeSpec(inputs, Outputs(data.LabelWidth), first, Images: false, $"row 0 of {Path.GetFileName(settings.Data)}"),
        };
    }

    public (Evaluation Evaluation, string DataSummaryHtml) Evaluate(ScenarioContext context, TrainingSettings trainingSettings, ITransformer model, string dataPath)
    {
        var settings = (CountRegressionSettings)trainingSettings with { Data = dataPath, TestData = null, ValidationData = null };
        var data = context.Timings.Measure("load data", () => TabularData.LoadAll(context.ML, settings, CountProblem, "count", settings.Exposure));
        var network = Models.Find<CountRegressionTransformer>(model);
        var evaluation = context.Timings.Measure("evaluate", () => Evaluate(context.ML, model, network?.Dispersion, data, null, settings));
        return (evaluation, data.SummaryHtml(LabelDescription(settings, data)));
    }

    public (IDataView Data, IReadOnlyList<string> RowNames) ReadPredictionInput(MLContext ml, TrainingSettings settings, DataViewSchema modelInput, string input) =>
        TabularPrediction.Read(ml, (TabularSettings)settings, modelInput, input);

    public IReadOnlyList<ConsumeColumn> PredictionOutputs(TrainingSettings settings) => Outputs(((TabularSettings)settings).Labels.Length);

    /// <summary>The model's output columns (ModelOutput of the consumption project, predict's columns).</summary>
    public static ConsumeColumn[] Outputs(int labelWidth) =>
        [labelWidth == 1 ? new ConsumeColumn("Score", "float") : new ConsumeColumn("Score", "float[]", VectorSize: labelWidth)];

    /// <summary>Scores the test rows and evaluates them with <c>dl.Regression.EvaluateCounts</c>.</summary>
    private Evaluation Evaluate(MLContext ml, ITransformer model, IReadOnlyList<float>? dispersion, TabularData data,
        double[]? referenceMeanCounts, CountRegressionSettings settings)
    {
        var scored = model.Transform(data.Test);
        var metrics = ml.DeepLearning().Regression.EvaluateCounts(scored, data.LabelColumn, "Score",
            referenceMeanCounts: referenceMeanCounts, dispersion: dispersion?.Select(d => (double)d).ToArray());
        var observed = TabularData.ReadVectors(scored, data.LabelColumn);
        var predicted = TabularData.ReadVectors(scored, "Score");
        return new Evaluation
        {
            Metrics = new RunMetrics
            {
                Scenario = Name,
                EvaluatedOn = data.TestSource,
                Rows = metrics.RowCount,
                Metrics = Headline(metrics),
                Details = new { PerOutput = PerOutput(metrics, data.Labels), Dispersion = dispersion },
            },
            Sections = [("plots", "Predicted against observed", Plots(observed, predicted, metrics, data.Labels, dispersion))],
            Descriptions = Descriptions,
            Headline = string.Create(CultureInfo.InvariantCulture,
                $"{settings.Likelihood} count regression of {string.Join(", ", data.Labels)}: deviance explained {metrics.DevianceExplained:G4}, "
                + $"{metrics.BitsPerSpike:G4} bits per count, mean NLL {metrics.MeanNegativeLogLikelihood:G4} on {metrics.RowCount} rows ({data.TestSource})."),
        };
    }

    private static string LabelDescription(CountRegressionSettings settings, TabularData data) =>
        $"{string.Join(", ", data.Labels)} (counts{(settings.Exposure is null ? "" : $", exposure '{settings.Exposure}'")})";

    /// <summary>metrics.json's headline figures, named after <see cref="CountMetrics"/>'s properties.</summary>
    public static Dictionary<string, double> Headline(CountMetrics metrics)
    {
        var headline = new Dictionary<string, double>
        {
            ["mean_negative_log_likelihood"] = metrics.MeanNegativeLogLikelihood,
            ["mean_deviance"] = metrics.MeanDeviance,
            ["deviance_explained"] = metrics.DevianceExplained,
            ["bits_per_spike"] = metrics.BitsPerSpike,
        };
        if (metrics.MeanNegativeBinomialNegativeLogLikelihood is double nb)
            headline["mean_negative_binomial_negative_log_likelihood"] = nb;
        return headline;
    }

    private static object[] PerOutput(CountMetrics metrics, IReadOnlyList<string> labels) => metrics.PerOutput.Select(o => (object)new
    {
        Output = labels.Count == metrics.PerOutput.Count ? labels[o.Index] : o.Name ?? o.Index.ToString(CultureInfo.InvariantCulture),
        o.MeanNegativeLogLikelihood,
        o.MeanDeviance,
        o.DevianceExplained,
        o.BitsPerSpike,
        o.TotalCount,
        o.MeanCount,
        o.MeanPrediction,
        o.ReferenceMeanCount,
        o.MeanNegativeBinomialNegativeLogLikelihood,
    }).ToArray();

    private static string Plots(float[][] observed, float[][] predicted, CountMetrics metrics, IReadOnlyList<string> labels,
        IReadOnlyList<float>? dispersion)
    {
        var html = new StringBuilder();
        double[] x = predicted.SelectMany(r => r).Select(v => (double)v).ToArray();
        double[] y = observed.SelectMany(r => r).Select(v => (double)v).ToArray();
        html.Append(HtmlReport.Figure(Charts.ScatterWithDiagonal(x, y, "Observed count against predicted mean", "predicted mean count", "observed count"),
            "Each held-out observation (all outputs pooled)"));
        var (binPredicted, binObserved) = Calibration.Bins(x, y, 10);
        html.Append(HtmlReport.Figure(Charts.Curves([("mean observed per decile of prediction", binPredicted, binObserved)],
            "Calibration of the predicted mean", "mean predicted count", "mean observed count", dataDiagonal: true), "Held-out rows grouped by deciles of the prediction: a calibrated model lies on y = x"));
        string[] header = ["output", "mean count", "mean prediction", "deviance explained", "bits per count", "mean NLL"];
        if (dispersion is not null)
            header = [.. header, "dispersion α"];
        html.Append(HtmlReport.Table(header, metrics.PerOutput.Select(o =>
        {
            string[] row =
            [
                labels.Count == metrics.PerOutput.Count ? labels[o.Index] : o.Index.ToString(CultureInfo.InvariantCulture),
                HtmlReport.Number(o.MeanCount), HtmlReport.Number(o.MeanPrediction), HtmlReport.Number(o.DevianceExplained),
                HtmlReport.Number(o.BitsPerSpike), HtmlReport.Number(o.MeanNegativeLogLikelihood),
            ];
            return (IReadOnlyList<string>)(dispersion is null ? row : [.. row, HtmlReport.Number(dispersion[o.Index])]);
        }), id: "per-output"));
        return html.ToString();
    }

    private static string? CountProblem(double value) =>
        value < 0 ? "counts must be 0 or more (a negative count)"
        : value != Math.Floor(value) ? "counts must be whole numbers"
        : value > 16_777_216 ? "counts above 2^24 do not fit a Single exactly; check the data"
        : null;
}
