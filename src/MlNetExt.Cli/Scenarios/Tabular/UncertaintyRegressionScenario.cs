using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Cli.Consumption;
using MlNetExt.Cli.Reporting;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Uncertainty;

namespace MlNetExt.Cli.Scenarios.Tabular;

/// <summary>uncertainty-regression: <c>dl.Regression.Trainers.NeuralGaussian</c> on a CSV/TSV file, evaluated with
/// <c>dl.Regression.EvaluateUncertainty</c> on the held-out rows.</summary>
internal sealed class UncertaintyRegressionScenario : TabularScenario<UncertaintyRegressionSettings, NeuralGaussianTransformer>
{
    public const string CommandName = "uncertainty-regression";

    public static readonly double[] CoverageLevels = [0.5, 0.68, 0.9, 0.95];

    public override string Name => CommandName;

    public override string Title => "Regression with a predicted mean and standard deviation";

    protected override string LabelRole => "label";

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["mean_negative_log_likelihood"] = "mean Gaussian NLL per value (nats; lower is better; depends on the label's units)",
        ["root_mean_squared_error"] = "RMSE of the predicted mean",
        ["mean_absolute_error"] = "MAE of the predicted mean",
        ["expected_calibration_error"] = "mean |observed - nominal| coverage over the levels below (0 is calibrated)",
        ["mean_std_dev"] = "mean predicted standard deviation (sharpness)",
        ["error_std_dev_pearson_correlation"] = "Pearson correlation of |error| and the predicted standard deviation",
        ["error_std_dev_spearman_correlation"] = "Spearman correlation of |error| and the predicted standard deviation",
        ["coverage_50"] = "fraction of labels inside the central 50% interval",
        ["coverage_68"] = "fraction of labels inside the central 68% interval",
        ["coverage_90"] = "fraction of labels inside the central 90% interval",
        ["coverage_95"] = "fraction of labels inside the central 95% interval",
    };

    protected override NeuralGaussianTransformer Fit(ScenarioContext context, UncertaintyRegressionSettings settings, TabularData data, IDataView train, IDataView? validation)
    {
        var options = context.Configure(new NeuralGaussianOptions(), settings);
        options.LabelColumnName = data.LabelColumn;
        options.FeatureColumnName = TabularData.FeatureColumn;
        options.HiddenLayers = settings.HiddenLayers;
        options.Activation = settings.Activation;
        options.MeanWarmupEpochs = settings.MeanWarmupEpochs;
        options.Beta = settings.Beta;
        options.ValidationSet = validation;
        return context.ML.DeepLearning().Regression.Trainers.NeuralGaussian(options).Fit(train);
    }

    protected override string OnnxDescription(NeuralGaussianTransformer network) =>
        $"the exported network alone: input '{network.OnnxInputName}' (feature vector; standardisation inside), outputs 'mean' and 'std_dev' in label units; the one-hot and missing-value steps are in model.zip";

    /// <summary>The model's output columns (ModelOutput of the consumption project, predict's columns).</summary>
    protected override ConsumeColumn[] Outputs(int labelWidth) => labelWidth == 1
        ? [new ConsumeColumn("Score", "float"), new ConsumeColumn("ScoreStdDev", "float")]
        : [new ConsumeColumn("Score", "float[]", VectorSize: labelWidth), new ConsumeColumn("ScoreStdDev", "float[]", VectorSize: labelWidth)];

    protected override Evaluation Evaluate(MLContext ml, ITransformer model, NeuralGaussianTransformer? network, TabularData data,
        UncertaintyRegressionSettings settings, bool training) => Evaluate(ml, model, data);

    /// <summary>Scores the test rows and evaluates them with <c>dl.Regression.EvaluateUncertainty</c>.</summary>
    private Evaluation Evaluate(MLContext ml, ITransformer model, TabularData data)
    {
        var scored = model.Transform(data.Test);
        var metrics = ml.DeepLearning().Regression.EvaluateUncertainty(scored, data.LabelColumn, "Score", "ScoreStdDev", CoverageLevels);
        var read = TabularData.ReadVectors(scored, data.LabelColumn, "Score", "ScoreStdDev");
        var (observed, mean, stdDev) = (read[0], read[1], read[2]);
        return new Evaluation
        {
            Metrics = new RunMetrics
            {
                Scenario = Name,
                EvaluatedOn = data.TestSource,
                Rows = metrics.RowCount,
                Metrics = Headline(metrics),
                Details = new
                {
                    Coverage = metrics.Coverage.Select(c => new { c.Level, c.Observed }).ToArray(),
                    PerOutput = metrics.PerOutput.Select((o, i) => new { Output = data.Labels[i], Metrics = Headline(o) }).ToArray(),
                },
            },
            Sections = [("plots", "Predictions, calibration and coverage", Plots(observed, mean, stdDev, metrics, data.Labels))],
            Descriptions = Descriptions,
            Headline = string.Create(CultureInfo.InvariantCulture,
                $"Gaussian regression of {string.Join(", ", data.Labels)}: RMSE {metrics.RootMeanSquaredError:G4}, mean NLL {metrics.MeanNegativeLogLikelihood:G4}, "
                + $"90% interval coverage {metrics.CoverageAt(0.9):G3} on {metrics.RowCount} rows ({data.TestSource})."),
        };
    }

    /// <summary>metrics.json's headline figures, named after <see cref="UncertaintyMetrics"/>'s properties; coverage per level.</summary>
    public static Dictionary<string, double> Headline(UncertaintyMetrics metrics)
    {
        var headline = new Dictionary<string, double>
        {
            ["mean_negative_log_likelihood"] = metrics.MeanNegativeLogLikelihood,
            ["root_mean_squared_error"] = metrics.RootMeanSquaredError,
            ["mean_absolute_error"] = metrics.MeanAbsoluteError,
            ["expected_calibration_error"] = metrics.ExpectedCalibrationError,
            ["mean_std_dev"] = metrics.MeanStdDev,
            ["error_std_dev_pearson_correlation"] = metrics.ErrorStdDevPearsonCorrelation,
            ["error_std_dev_spearman_correlation"] = metrics.ErrorStdDevSpearmanCorrelation,
        };
        foreach (var coverage in metrics.Coverage)
            headline[$"coverage_{Math.Round(coverage.Level * 100).ToString(CultureInfo.InvariantCulture)}"] = coverage.Observed;
        return headline;
    }

    private static string Plots(float[][] observed, float[][] mean, float[][] stdDev, UncertaintyMetrics metrics, IReadOnlyList<string> labels)
    {
        var html = new StringBuilder();
        double[] y = observed.SelectMany(r => r).Select(v => (double)v).ToArray();
        double[] m = mean.SelectMany(r => r).Select(v => (double)v).ToArray();
        double[] s = stdDev.SelectMany(r => r).Select(v => (double)v).ToArray();
        html.Append(HtmlReport.Figure(Charts.ScatterWithDiagonal(m, y, "Observed against predicted mean", "predicted mean", "observed"),
            "Each held-out value (all outputs pooled)"));
        html.Append(HtmlReport.Figure(Charts.Curves([("observed coverage", metrics.Coverage.Select(c => c.Level).ToArray(), metrics.Coverage.Select(c => c.Observed).ToArray())],
            "Coverage of the central intervals", "nominal coverage", "observed coverage", unitDiagonal: true, unitSquare: true),
            "A calibrated model lies on the diagonal; below it the intervals are too narrow (overconfident)"));
        double[] error = y.Zip(m, (a, b) => Math.Abs(a - b)).ToArray();
        var (binStd, binError) = Calibration.Bins(s, error, 10);
        double[] expected = binStd.Select(v => v * Math.Sqrt(2 / Math.PI)).ToArray();
        html.Append(HtmlReport.Figure(Charts.Curves([("mean |error| per decile of σ", binStd, binError), ("expected for a calibrated σ (σ·√(2/π))", binStd, expected)],
            "Errors against the predicted standard deviation", "predicted standard deviation", "mean absolute error"),
            "Held-out values grouped by deciles of the predicted standard deviation"));
        html.Append(HtmlReport.Table(["level", "observed coverage", "gap"], metrics.Coverage.Select(c => (IReadOnlyList<string>)
            [HtmlReport.Number(c.Level), HtmlReport.Number(c.Observed), HtmlReport.Number(c.Gap)]), id: "coverage"));
        if (metrics.PerOutput.Count > 0)
            html.Append(HtmlReport.Table(["output", "RMSE", "mean NLL", "90% coverage", "mean σ"], metrics.PerOutput.Select((o, i) => (IReadOnlyList<string>)
                [labels[i], HtmlReport.Number(o.RootMeanSquaredError), HtmlReport.Number(o.MeanNegativeLogLikelihood),
                 HtmlReport.Number(o.CoverageAt(0.9)), HtmlReport.Number(o.MeanStdDev)]), id: "per-output"));
        return html.ToString();
    }
}
