namespace MlNetExt.Regression.Evaluation;

/// <summary>
/// Evaluation of predicted counts (Score = expected count) against observed counts (Label). Means are over
/// observations: rows x outputs for vector labels. Aggregates over outputs sum log-likelihoods and deviances
/// before dividing, so outputs with many spikes weigh more.
/// </summary>
public sealed class CountMetrics
{
    internal CountMetrics(long rowCount, double meanNll, double meanDeviance, double devianceExplained, double bitsPerSpike,
        double? meanNbNll, IReadOnlyList<OutputCountMetrics> perOutput)
    {
        RowCount = rowCount;
        MeanNegativeLogLikelihood = meanNll;
        MeanDeviance = meanDeviance;
        DevianceExplained = devianceExplained;
        BitsPerSpike = bitsPerSpike;
        MeanNegativeBinomialNegativeLogLikelihood = meanNbNll;
        PerOutput = perOutput;
    }

    /// <summary>Number of rows evaluated.</summary>
    public long RowCount { get; }

    /// <summary>Mean Poisson negative log-likelihood per observation, including ln k! (nats): mu - k ln mu + ln k!.</summary>
    public double MeanNegativeLogLikelihood { get; }

    /// <summary>Mean Poisson deviance per observation: 2 (k ln(k/mu) - (k - mu)).</summary>
    public double MeanDeviance { get; }

    /// <summary>
    /// Deviance explained (pseudo-R²): 1 - D_model / D_null, where the null model predicts each output's mean count
    /// on the evaluated data. 1 is perfect, 0 is no better than the mean, negative is worse.
    /// </summary>
    public double DevianceExplained { get; }

    /// <summary>
    /// Log-likelihood gain over each output's reference mean count, in bits per spike, summed over outputs:
    /// Σ (ln L_model - ln L_reference) / (ln 2 x Σ spikes).
    /// </summary>
    public double BitsPerSpike { get; }

    /// <summary>Mean NB2 negative log-likelihood per observation, when a dispersion was given; else <see langword="null"/>.</summary>
    public double? MeanNegativeBinomialNegativeLogLikelihood { get; }

    /// <summary>Figures per output (one entry for a scalar label).</summary>
    public IReadOnlyList<OutputCountMetrics> PerOutput { get; }
}
