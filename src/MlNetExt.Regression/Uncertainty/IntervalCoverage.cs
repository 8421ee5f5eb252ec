namespace MlNetExt.Regression.Uncertainty;

/// <summary>How often the label fell inside the predicted central interval of one nominal level.</summary>
/// <param name="Level">The nominal probability of the central interval, e.g. 0.9 for mean +- 1.645 standard deviations.</param>
/// <param name="Observed">The fraction of labels that fell inside their interval; a calibrated model has Observed close to Level.</param>
public sealed record IntervalCoverage(double Level, double Observed)
{
    /// <summary>Observed minus nominal coverage: negative when intervals are too narrow (overconfident).</summary>
    public double Gap => Observed - Level;
}
