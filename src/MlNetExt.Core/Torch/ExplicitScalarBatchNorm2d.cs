using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Core.Torch;

/// <summary>
/// <c>BatchNorm2d</c> whose training step keeps its Scalars alive: TorchSharp's own module counts batches with
/// <c>num_batches_tracked.add_(1)</c>, two implicit Scalars that the garbage collector may free while libtorch reads them
/// (see <see cref="ExplicitScalarMath"/>). Same parameters, buffers, state_dict names and arithmetic as
/// <c>torch.nn.BatchNorm2d</c>; it is a <see cref="BatchNorm"/>, so the ONNX exporter, weight loaders and
/// initialisers treat it like TorchSharp's.
/// </summary>
public sealed class ExplicitScalarBatchNorm2d : BatchNorm
{
    /// <summary>Creates the module (affine, tracking running statistics), like <c>torch.nn.BatchNorm2d</c>.</summary>
    /// <param name="numFeatures">Channels.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <param name="momentum">Weight of the current batch in the running statistics.</param>
    public ExplicitScalarBatchNorm2d(long numFeatures, double eps = 1e-5, double momentum = 0.1)
        : base(numFeatures, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name: "BatchNorm2d")
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        double factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is { } tracked)
        {
            using var one = 1.ToScalar();
            tracked.add_(one, one);
            if (momentum is null)
                factor = 1.0 / tracked.item<long>();
        }
        bool useBatchStatistics = training || (running_mean is null && running_var is null);
        bool useRunning = !training || track_running_stats;
        return nn.functional.batch_norm(input, useRunning ? running_mean : null, useRunning ? running_var : null, weight, bias,
            useBatchStatistics, factor, eps);
    }

    /// <inheritdoc />
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 4)
            throw new ArgumentException($"BatchNorm2d expects a 4D input [N, C, H, W]; got {input.ndim}D.", nameof(input));
    }
}
