namespace MlNetExt.Regression.Evaluation;

/// <summary>Count-regression figures for one output (one neuron / one slot of a vector label).</summary>
public sealed class OutputCountMetrics
{
    internal OutputCountMetrics(int index, string? name, double meanNll, double meanDeviance, double devianceExplained,
        double bitsPerSpike, double totalCount, double meanCount, double meanPrediction, double referenceMeanCount, double? meanNbNll)
    {
        Index = index;
        Name = name;
        MeanNegativeLogLikelihood = meanNll;
        MeanDeviance = meanDeviance;
        DevianceExplained = devianceExplained;
        BitsPerSpike = bitsPerSpike;
        TotalCount = totalCount;
        MeanCount = meanCount;
        MeanPrediction = meanPrediction;
        ReferenceMeanCount = referenceMeanCount;
        MeanNegativeBinomialNegativeLogLikelihood = meanNbNll;
    }

    /// <summary>0-based slot index.</summary>
    public int Index { get; }

    /// <summary>Slot name from the label column's slot names, when it has them.</summary>
    public string? Name { get; }

    /// <summary>Mean Poisson negative log-likelihood per row, including ln k! (nats).</summary>
    public double MeanNegativeLogLikelihood { get; }

    /// <summary>Mean Poisson deviance per row.</summary>
    public double MeanDeviance { get; }

    /// <summary>1 - D_model / D_null, the null model predicting this output's mean count on the evaluated data.</summary>
    public double DevianceExplained { get; }

    /// <summary>
    /// (ln L_model - ln L_reference) / (ln 2 x total count): bits gained per spike over predicting the reference mean count
    /// (<see cref="ReferenceMeanCount"/>) in every row. NaN when the output has no spike.
    /// </summary>
    public double BitsPerSpike { get; }

    /// <summary>Sum of the label over rows (spikes).</summary>
    public double TotalCount { get; }

    /// <summary>Mean label per row.</summary>
    public double MeanCount { get; }

    /// <summary>Mean predicted count per row.</summary>
    public double MeanPrediction { get; }

    /// <summary>The mean count per row the bits-per-spike reference model predicts (training data's, when given).</summary>
    public double ReferenceMeanCount { get; }

    /// <summary>Mean NB2 negative log-likelihood per row, when a dispersion was given; else <see langword="null"/>.</summary>
    public double? MeanNegativeBinomialNegativeLogLikelihood { get; }
}
