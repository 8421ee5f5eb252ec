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
internal sealed class CountRegressionScenario : TabularScenario<CountRegressionSettings, CountRegressionTransformer>
{
    public const string CommandName = "count-regression";

    public override string Name => CommandName;

    public override string Title => "Neural count regression";

    protected override string LabelRole => "count";

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["mean_negative_log_likelihood"] = "mean Poisson NLL per observation, ln k! included (nats; lower is better)",
        ["mean_deviance"] = "mean Poisson deviance per observation (lower is better)",
        ["deviance_explained"] = "1 - D_model / D_null, null = each output's mean count (1 is perfect, 0 no better than the mean)",
        ["bits_per_spike"] = "log-likelihood gain over the training mean count, in bits per count (higher is better)",
        ["mean_negative_binomial_negative_log_likelihood"] = "mean negative-binomial NLL per observation with the fitted dispersion",
    };

    protected override string? Exposure(CountRegressionSettings settings) => settings.Exposure;

    protected override CountRegressionTransformer Fit(ScenarioContext context, CountRegressionSettings settings, TabularData data, IDataView train, IDataView? validation)
    {
        var dl = context.ML.DeepLearning();
        var options = context.Configure(settings.Likelihood == CountLikelihood.Poisson
            ? new NeuralPoissonOptions() : (NeuralCountTrainerOptions)new NeuralNegativeBinomialOptions(), settings);
        options.LabelColumnName = data.LabelColumn;
        options.FeatureColumnName = TabularData.FeatureColumn;
        options.ExposureColumnName = settings.Exposure;
        options.HiddenLayers = settings.HiddenLayers;
        options.Activation = settings.Activation;
        options.Dropout = settings.Dropout;
        options.ValidationSet = validation;
        var trainer = options is NeuralPoissonOptions poisson
            ? (IEstimator<CountRegressionTransformer>)dl.Regression.Trainers.NeuralPoisson(poisson)
            : dl.Regression.Trainers.NeuralNegativeBinomial((NeuralNegativeBinomialOptions)options);
        return trainer.Fit(train);
    }

    protected override string OnnxDescription(CountRegressionTransformer network) =>
        $"the exported network alone: input '{network.OnnxInputNames[0]}' (the standardised feature vector is computed inside; the one-hot and missing-value steps are in model.zip), output '{network.OnnxOutputName}' (expected counts); mlnetext.* metadata";

    /// <summary>The model's output columns (ModelOutput of the consumption project, predict's columns).</summary>
    protected override ConsumeColumn[] Outputs(int labelWidth) =>
        [labelWidth == 1 ? new ConsumeColumn("Score", "float") : new ConsumeColumn("Score", "float[]", VectorSize: labelWidth)];

    /// <summary>Scores the test rows and evaluates them with <c>dl.Regression.EvaluateCounts</c> (right after training, against
    /// the training rows' mean counts for bits per count).</summary>
    protected override Evaluation Evaluate(MLContext ml, ITransformer model, CountRegressionTransformer? network, TabularData data,
        CountRegressionSettings settings, bool training) =>
        Evaluate(ml, model, network?.Dispersion, data, training ? ml.DeepLearning().Regression.ComputeMeanCounts(data.Train, data.LabelColumn) : null, settings);

    /// <summary>Scores the test rows and evaluates them with <c>dl.Regression.EvaluateCounts</c>.</summary>
    private Evaluation Evaluate(MLContext ml, ITransformer model, IReadOnlyList<float>? dispersion, TabularData data,
        double[]? referenceMeanCounts, CountRegressionSettings settings)
    {
        var scored = model.Transform(data.Test);
        var metrics = ml.DeepLearning().Regression.EvaluateCounts(scored, data.LabelColumn, "Score",
            referenceMeanCounts: referenceMeanCounts, dispersion: dispersion?.Select(d => (double)d).ToArray());
        var read = TabularData.ReadVectors(scored, data.LabelColumn, "Score");
        var (observed, predicted) = (read[0], read[1]);
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

    protected override string LabelDescription(CountRegressionSettings settings, TabularData data) =>
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

    protected override string? CheckLabel(double value) =>
        value < 0 ? "counts must be 0 or more (a negative count)"
        : value != Math.Floor(value) ? "counts must be whole numbers"
        : value > 16_777_216 ? "counts above 2^24 do not fit a Single exactly; check the data"
        : null;
}
