using Microsoft.ML;
using MlNetExt.Regression.Counts;
using MlNetExt.Regression.Evaluation;
using MlNetExt.Regression.Gaussian;
using MlNetExt.Regression.Spikes;
using MlNetExt.Regression.Uncertainty;

namespace MlNetExt;

/// <summary>
/// MlNetExt.Regression's entry points on <c>mlContext.DeepLearning()</c>: the neural count and Gaussian trainers, their
/// evaluators and spike binning. Trainers made here use your MLContext: its seed (drawn when the trainer is created,
/// unless the options set one), its log and its GPU settings.
/// </summary>
public static class RegressionDeepLearningExtensions
{
    /// <summary>Neural Poisson regression: an MLP predicts the log-rate; trained by the full Poisson NLL.</summary>
    /// <param name="catalog">The regression trainers of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="labelColumnName">Counts: a numeric scalar, or a vector with one count per output.</param>
    /// <param name="featureColumnName">Features: a numeric scalar or known-size vector (Single, Double, an integer type or Boolean).</param>
    /// <param name="hiddenLayers">Hidden layer sizes; null: {64, 64}; empty: log-linear model.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <param name="exposureColumnName">Optional exposure column (expected count = exposure × rate).</param>
    /// <returns>The trainer.</returns>
    public static NeuralPoissonTrainer NeuralPoisson(this DeepLearningCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null, int epochs = 30,
        string? exposureColumnName = null)
        => NeuralPoisson(catalog, CountTrainersCatalog.Options<NeuralPoissonOptions>(labelColumnName, featureColumnName, hiddenLayers, epochs, exposureColumnName));

    /// <summary>Neural Poisson regression with full options.</summary>
    /// <param name="catalog">The regression trainers of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="options">Training options.</param>
    /// <returns>The trainer.</returns>
    public static NeuralPoissonTrainer NeuralPoisson(this DeepLearningCatalog.RegressionTrainers catalog, NeuralPoissonOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NeuralPoissonTrainer(catalog.Context, options);
    }

    /// <summary>Neural negative-binomial (NB2) regression: an MLP predicts the log-rate; one dispersion per output is learnt.</summary>
    /// <param name="catalog">The regression trainers of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="labelColumnName">Counts: a numeric scalar, or a vector with one count per output.</param>
    /// <param name="featureColumnName">Features: a numeric scalar or known-size vector (Single, Double, an integer type or Boolean).</param>
    /// <param name="hiddenLayers">Hidden layer sizes; null: {64, 64}; empty: log-linear model.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <param name="exposureColumnName">Optional exposure column (expected count = exposure × rate).</param>
    /// <returns>The trainer.</returns>
    public static NeuralNegativeBinomialTrainer NeuralNegativeBinomial(this DeepLearningCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null, int epochs = 30,
        string? exposureColumnName = null)
        => NeuralNegativeBinomial(catalog,
            CountTrainersCatalog.Options<NeuralNegativeBinomialOptions>(labelColumnName, featureColumnName, hiddenLayers, epochs, exposureColumnName));

    /// <summary>Neural negative-binomial regression with full options.</summary>
    /// <param name="catalog">The regression trainers of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="options">Training options.</param>
    /// <returns>The trainer.</returns>
    public static NeuralNegativeBinomialTrainer NeuralNegativeBinomial(this DeepLearningCatalog.RegressionTrainers catalog,
        NeuralNegativeBinomialOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NeuralNegativeBinomialTrainer(catalog.Context, options);
    }

    /// <summary>
    /// An MLP that predicts a mean (<paramref name="scoreColumnName"/>) and a standard deviation
    /// (<paramref name="stdDevColumnName"/>) for every prediction, trained on the Gaussian negative log-likelihood
    /// (beta-NLL with beta = 0.5). The label is a numeric scalar or known-size vector (Single, Double, an integer type or
    /// Boolean); the features are a known-size numeric vector of the same types.
    /// </summary>
    /// <param name="catalog">The regression trainers of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="featureColumnName">The feature column.</param>
    /// <param name="scoreColumnName">The predicted mean column.</param>
    /// <param name="stdDevColumnName">The predicted standard deviation column.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per minibatch.</param>
    /// <param name="learningRate">The AdamW learning rate.</param>
    /// <returns>The trainer.</returns>
    public static NeuralGaussianTrainer NeuralGaussian(this DeepLearningCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string scoreColumnName = "Score",
        string stdDevColumnName = "ScoreStdDev", int epochs = 50, int batchSize = 64, float learningRate = 1e-3f)
        => NeuralGaussian(catalog,
            NeuralGaussianCatalog.Options(labelColumnName, featureColumnName, scoreColumnName, stdDevColumnName, epochs, batchSize, learningRate));

    /// <summary>The NeuralGaussian trainer with every option.</summary>
    /// <param name="catalog">The regression trainers of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="options">The options.</param>
    /// <returns>The trainer.</returns>
    public static NeuralGaussianTrainer NeuralGaussian(this DeepLearningCatalog.RegressionTrainers catalog, NeuralGaussianOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NeuralGaussianTrainer(catalog.Context, options);
    }

    /// <summary>
    /// Evaluates predicted expected counts against observed counts: Poisson NLL (with ln k!), deviance, deviance
    /// explained and bits per spike, overall and per output for vector labels.
    /// </summary>
    /// <param name="catalog">The regression catalog of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="data">Scored data.</param>
    /// <param name="labelColumnName">Observed counts: a numeric scalar or known-size vector (one slot per output).</param>
    /// <param name="scoreColumnName">Expected counts, the same shape as the label.</param>
    /// <param name="referenceMeanCounts">Mean count per row of each output in the training data (one value, or one per
    /// output), the reference model for bits per spike; <see langword="null"/>: the evaluated data's means.</param>
    /// <param name="dispersion">NB2 dispersion α per output (one value or one per output) for the negative-binomial NLL;
    /// <see langword="null"/>: none.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or shapes disagree.</exception>
    /// <exception cref="InvalidDataException">A negative or non-finite count or expected count; the message names the column and row.</exception>
    public static CountMetrics EvaluateCounts(this DeepLearningCatalog.RegressionCatalog catalog, IDataView data,
        string labelColumnName = "Label", string scoreColumnName = "Score", IReadOnlyList<double>? referenceMeanCounts = null,
        IReadOnlyList<double>? dispersion = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return CountEvaluator.Evaluate(data, labelColumnName, scoreColumnName, referenceMeanCounts, dispersion);
    }

    /// <summary>Mean count per row of each output of a count column (e.g. of the training data, as reference for bits per spike).</summary>
    /// <param name="catalog">The regression catalog of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="data">Data holding the counts.</param>
    /// <param name="labelColumnName">Count column: numeric scalar or known-size vector.</param>
    /// <returns>One mean per output.</returns>
    public static double[] ComputeMeanCounts(this DeepLearningCatalog.RegressionCatalog catalog, IDataView data, string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return CountEvaluator.MeanCounts(data, labelColumnName);
    }

    /// <summary>
    /// Evaluates Gaussian predictive distributions: mean negative log-likelihood, RMSE, coverage of the central intervals
    /// at <paramref name="coverageLevels"/> (default 0.5, 0.68, 0.9, 0.95), expected calibration error, sharpness and the
    /// correlation between |error| and the predicted standard deviation. With vector columns the figures pool all
    /// coordinates and <see cref="UncertaintyMetrics.PerOutput"/> holds each coordinate's.
    /// </summary>
    /// <param name="catalog">The regression catalog of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="data">Scored data, e.g. the output of a NeuralGaussian model's Transform.</param>
    /// <param name="labelColumnName">The label column (numeric scalar or vector).</param>
    /// <param name="scoreColumnName">The predicted mean column.</param>
    /// <param name="stdDevColumnName">The predicted standard deviation column (values must be positive).</param>
    /// <param name="coverageLevels">Nominal levels of the central intervals to check, each strictly between 0 and 1.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">A column is missing, has the wrong type or size, or the data is empty.</exception>
    /// <exception cref="InvalidDataException">A value is NaN or infinite, or a standard deviation is not positive (names column and row).</exception>
    public static UncertaintyMetrics EvaluateUncertainty(this DeepLearningCatalog.RegressionCatalog catalog, IDataView data,
        string labelColumnName = "Label", string scoreColumnName = "Score", string stdDevColumnName = "ScoreStdDev",
        IReadOnlyList<double>? coverageLevels = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return UncertaintyEvaluationCatalog.Evaluate(data, labelColumnName, scoreColumnName, stdDevColumnName, coverageLevels);
    }

    /// <summary>Bins spike events into fixed-width time bins and averages covariates over the same bins.</summary>
    /// <param name="catalog">The data catalog of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="spikes">Spike events: a neuron id column and a spike time column (seconds, sorted ascending).</param>
    /// <param name="covariates">Covariate samples: a time column (seconds, sorted ascending) and numeric covariate columns, at any sampling rate.</param>
    /// <param name="binSeconds">Bin width in seconds.</param>
    /// <param name="historyBins">Number of previous bins whose covariates form the <c>History</c> column (0: none).</param>
    /// <param name="neuronCount">Number of neurons; <see langword="null"/> infers it (key count, else largest id + 1).</param>
    /// <param name="neuronColumnName">Spike events' neuron id column.</param>
    /// <param name="spikeTimeColumnName">Spike events' time column.</param>
    /// <param name="covariateTimeColumnName">Covariates' time column.</param>
    /// <returns>One row per bin with the columns named in <see cref="SpikeBinColumns"/>.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidDataException">Unsorted, negative or NaN times, non-finite covariates, or a neuron id out of range; the message names the column and the first offending row.</exception>
    public static IDataView BinSpikes(this DeepLearningCatalog.DataCatalog catalog, IDataView spikes, IDataView covariates,
        double binSeconds = 0.05, int historyBins = 0, int? neuronCount = null, string neuronColumnName = "Neuron",
        string spikeTimeColumnName = "Time", string covariateTimeColumnName = "Time")
        => BinSpikes(catalog, spikes, covariates,
            SpikeDataCatalog.Options(binSeconds, historyBins, neuronCount, neuronColumnName, spikeTimeColumnName, covariateTimeColumnName));

    /// <summary>Bins spike events into fixed-width time bins and averages covariates over the same bins.</summary>
    /// <param name="catalog">The data catalog of <c>mlContext.DeepLearning()</c>.</param>
    /// <param name="spikes">Spike events: a neuron id column and a spike time column (seconds, sorted ascending).</param>
    /// <param name="covariates">Covariate samples: a time column and numeric covariate columns.</param>
    /// <param name="options">Binning options.</param>
    /// <returns>One row per bin; see <see cref="SpikeBinColumns"/>.</returns>
    public static IDataView BinSpikes(this DeepLearningCatalog.DataCatalog catalog, IDataView spikes, IDataView covariates, SpikeBinningOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return SpikeBinner.Bin(spikes, covariates, options);
    }
}
