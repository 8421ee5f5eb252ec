namespace MlNetExt.Regression.Spikes;

/// <summary>
/// Options of <see cref="SpikeDataCatalog.BinSpikes(Microsoft.ML.DataOperationsCatalog, Microsoft.ML.IDataView, Microsoft.ML.IDataView, SpikeBinningOptions)"/>.
/// </summary>
public sealed class SpikeBinningOptions
{
    /// <summary>Spike events: column holding the neuron id (Int32, UInt32, Int64 0-based, or a key type, whose first key is neuron 0).</summary>
    public string NeuronColumnName = "Neuron";

    /// <summary>Spike events: column holding the spike time in seconds (Double or Single), sorted ascending, non-negative.</summary>
    public string SpikeTimeColumnName = "Time";

    /// <summary>Covariates: column holding the sample time in seconds (Double or Single), sorted ascending.</summary>
    public string CovariateTimeColumnName = "Time";

    /// <summary>
    /// Covariates: numeric scalar columns to average per bin, in this order. <see langword="null"/>: every numeric
    /// scalar column except the time column, in schema order.
    /// </summary>
    public string[]? CovariateColumnNames = null;

    /// <summary>Bin width in seconds.</summary>
    public double BinSeconds = 0.05;

    /// <summary>Number of neurons (the width of <c>Counts</c>). <see langword="null"/>: the key count of a key column, else the largest id + 1.</summary>
    public int? NeuronCount = null;

    /// <summary>
    /// Number of previous bins whose covariates form the <c>History</c> column (0: no history column). The first
    /// <c>HistoryBins</c> bins have an incomplete history and are left out of the output.
    /// </summary>
    public int HistoryBins = 0;

    /// <summary>Start of the first bin in seconds. <see langword="null"/>: the first covariate sample's time.</summary>
    public double? StartTime = null;
}
