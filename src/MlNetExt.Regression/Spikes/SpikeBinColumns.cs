namespace MlNetExt.Regression.Spikes;

/// <summary>Names of the columns that <see cref="SpikeDataCatalog"/>'s <c>BinSpikes</c> produces.</summary>
public static class SpikeBinColumns
{
    /// <summary>Double: start time of the bin in seconds.</summary>
    public const string Time = "Time";

    /// <summary>Float vector, one slot per neuron (slot names "n0", "n1", ...): spikes counted in the bin.</summary>
    public const string Counts = "Counts";

    /// <summary>Float vector, one slot per covariate (slot names = covariate column names): covariates averaged over the bin.</summary>
    public const string Covariates = "Covariates";

    /// <summary>
    /// Float vector of HistoryBins x covariates (only when HistoryBins &gt; 0): the previous bins' averaged covariates,
    /// lag 1 first (slot names "speed@-1", ...).
    /// </summary>
    public const string History = "History";

    /// <summary>Float vector: <see cref="Covariates"/> followed by <see cref="History"/>; what trainers read by default.</summary>
    public const string Features = "Features";
}
