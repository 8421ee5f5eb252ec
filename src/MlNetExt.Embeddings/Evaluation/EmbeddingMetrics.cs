namespace MlNetExt.Embeddings.Evaluation;

/// <summary>Quality of an embedding with respect to class labels.</summary>
public sealed class EmbeddingMetrics
{
    /// <summary>Fraction of rows whose nearest other row (leave-one-out) has the same label.</summary>
    public double RecallAt1 { get; init; }

    /// <summary>Fraction of rows with at least one same-label row among their 5 nearest other rows.</summary>
    public double RecallAt5 { get; init; }

    /// <summary>Mean average precision at R (Musgrave et al. 2020): R is the number of other rows of the query's class.</summary>
    public double MeanAveragePrecisionAtR { get; init; }

    /// <summary>Area under the ROC curve of "same class" vs distance, over positive pairs and sampled negative pairs.</summary>
    public double AreaUnderRocCurve { get; init; }

    /// <summary>Old name of <see cref="AreaUnderRocCurve"/>.</summary>
    [Obsolete("Use AreaUnderRocCurve (ML.NET's name for the area under the ROC curve).")]
    public double VerificationAuc
    {
        get => AreaUnderRocCurve;
        init => AreaUnderRocCurve = value;
    }

    /// <summary>Equal error rate: where the false-accept rate equals the false-reject rate.</summary>
    public double EqualErrorRate { get; init; }

    /// <summary>Distance threshold at the equal error rate: pairs at or below it are called "same".</summary>
    public double EqualErrorRateThreshold { get; init; }

    /// <summary>Normalised mutual information (arithmetic normalisation) between labels and k-means clusters, k = number of classes; NaN when not computed.</summary>
    public double ClusteringNmi { get; init; }

    /// <summary>Number of rows evaluated.</summary>
    public int RowCount { get; init; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; init; }

    /// <summary>Number of positive pairs used for the verification metrics.</summary>
    public long PositivePairCount { get; init; }

    /// <summary>Number of negative pairs used for the verification metrics.</summary>
    public long NegativePairCount { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"R@1={RecallAt1:F4} R@5={RecallAt5:F4} MAP@R={MeanAveragePrecisionAtR:F4} AUC={AreaUnderRocCurve:F4} " +
        $"EER={EqualErrorRate:F4} (threshold {EqualErrorRateThreshold:G4}) NMI={ClusteringNmi:F4} rows={RowCount} classes={ClassCount}";
}
