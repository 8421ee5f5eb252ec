using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Samples.DetectingTumors;

/// <summary>
/// Held-out figures that stay meaningful for a rare class, computed from the model's own <c>PredictedLabel</c>:
/// accuracy (always "healthy" scores the negative share), balanced accuracy (mean of recall and specificity; always
/// "healthy" scores 0.5), recall and precision of the rare class. AUC comes from ML.NET's evaluator.
/// </summary>
internal sealed record HeldOutScores(double Accuracy, double BalancedAccuracy, double Recall, double Precision, double Auc)
{
    public static HeldOutScores Compute(MLContext ml, IDataView scored, string labelColumn)
    {
        bool[] truth = scored.GetColumn<bool>(labelColumn).ToArray();
        bool[] predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if (truth[i])
                _ = predicted[i] ? tp++ : fn++;
            else
                _ = predicted[i] ? fp++ : tn++;
        }
        double recall = tp / (double)Math.Max(1, tp + fn);
        double specificity = tn / (double)Math.Max(1, tn + fp);
        double auc = ml.BinaryClassification.Evaluate(scored, labelColumn).AreaUnderRocCurve;
        return new HeldOutScores((tp + tn) / (double)Math.Max(1, truth.Length), (recall + specificity) / 2, recall,
            tp / (double)Math.Max(1, tp + fp), auc);
    }
}
