using MlNetExt.Core.Torch;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Classification;

/// <summary>The loss of one batch: multiclass cross-entropy (label smoothing, class weights) or binary cross-entropy
/// with logits (class weights per row).</summary>
internal sealed class ClassificationLoss
{
    private readonly bool _binary;
    private readonly float[]? _classWeights;
    private readonly float _labelSmoothing;

    public ClassificationLoss(bool binary, float[]? classWeights, float labelSmoothing)
    {
        _binary = binary;
        _classWeights = classWeights;
        _labelSmoothing = labelSmoothing;
    }

    /// <summary>Mean loss of <paramref name="logits"/> [N, K] (K = 1 for binary) against class indices [N] (int64).</summary>
    public Tensor Compute(Tensor logits, Tensor classes)
    {
        var weights = _classWeights is null ? null : tensor(_classWeights, device: logits.device);
        if (_binary)
        {
            var target = classes.to_type(ScalarType.Float32);
            var rowLoss = nn.functional.binary_cross_entropy_with_logits(logits.reshape(-1), target, reduction: nn.Reduction.None);
            return weights is null ? rowLoss.mean() : (rowLoss * weights.index_select(0, classes)).sum() / weights.index_select(0, classes).sum();
        }
        return nn.functional.cross_entropy(logits, classes, weights, label_smoothing: _labelSmoothing);
    }

    /// <summary>Number of correct predictions in a batch.</summary>
    public double Correct(Tensor logits, Tensor classes)
    {
        using var predicted = _binary ? logits.reshape(-1).GreaterThan(0).to_type(ScalarType.Int64) : logits.argmax(1);
        using var equal = predicted.eq(classes);
        return equal.sum().item<long>();
    }
}
