using Microsoft.ML;

namespace MlNetExt.Regression.Spikes;

/// <summary>Spike-train data operations on <see cref="MLContext.Data"/>.</summary>
public static class SpikeDataCatalog
{
    /// <summary>
    /// Bins spike events into fixed-width time bins and averages covariates over the same bins.
    /// </summary>
    /// <param name="catalog">The data operations catalog.</param>
    /// <param name="spikes">Spike events: a neuron id column and a spike time column (seconds, sorted ascending).</param>
    /// <param name="covariates">Covariate samples: a time column (seconds, sorted ascending) and numeric covariate columns, at any sampling rate.</param>
    /// <param name="binSeconds">Bin width in seconds.</param>
    /// <param name="historyBins">Number of previous bins whose covariates form the <c>History</c> column (0: none).</param>
    /// <param name="neuronCount">Number of neurons; <see langword="null"/> infers it (key count, else largest id + 1).</param>
    /// <param name="neuronColumnName">Spike events' neuron id column.</param>
    /// <param name="spikeTimeColumnName">Spike events' time column.</param>
    /// <param name="covariateTimeColumnName">Covariates' time column.</param>
    /// <returns>
    /// One row per bin with the columns named in <see cref="SpikeBinColumns"/>: <c>Time</c>, <c>Counts</c>,
    /// <c>Covariates</c>, <c>History</c> (when <paramref name="historyBins"/> &gt; 0) and <c>Features</c>.
    /// </returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidDataException">Unsorted, negative or NaN times, non-finite covariates, or a neuron id out of range; the message names the column and the first offending row.</exception>
    public static IDataView BinSpikes(this DataOperationsCatalog catalog, IDataView spikes, IDataView covariates,
        double binSeconds = 0.05, int historyBins = 0, int? neuronCount = null, string neuronColumnName = "Neuron",
        string spikeTimeColumnName = "Time", string covariateTimeColumnName = "Time")
        => BinSpikes(catalog, spikes, covariates, Options(binSeconds, historyBins, neuronCount, neuronColumnName, spikeTimeColumnName, covariateTimeColumnName));

    /// <summary>Bins spike events into fixed-width time bins and averages covariates over the same bins.</summary>
    /// <param name="catalog">The data operations catalog.</param>
    /// <param name="spikes">Spike events: a neuron id column and a spike time column (seconds, sorted ascending).</param>
    /// <param name="covariates">Covariate samples: a time column and numeric covariate columns.</param>
    /// <param name="options">Binning options.</param>
    /// <returns>One row per bin; see <see cref="SpikeBinColumns"/>.</returns>
    public static IDataView BinSpikes(this DataOperationsCatalog catalog, IDataView spikes, IDataView covariates, SpikeBinningOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return SpikeBinner.Bin(spikes, covariates, options);
    }

    /// <summary>The options the simple-arguments overload describes.</summary>
    internal static SpikeBinningOptions Options(double binSeconds, int historyBins, int? neuronCount, string neuronColumnName,
        string spikeTimeColumnName, string covariateTimeColumnName) => new()
    {
        BinSeconds = binSeconds,
        HistoryBins = historyBins,
        NeuronCount = neuronCount,
        NeuronColumnName = neuronColumnName,
        SpikeTimeColumnName = spikeTimeColumnName,
        CovariateTimeColumnName = covariateTimeColumnName,
    };
}
