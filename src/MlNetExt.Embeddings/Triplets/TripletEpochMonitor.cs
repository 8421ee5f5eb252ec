using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetExt.Core.Training;
using MlNetExt.Embeddings.Evaluation;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// The triplet trainer's per-epoch bookkeeping inside Core's loop: averages the training batches' collapse reports,
/// scores the validation rows (recall@1, MAP@R by leave-one-out retrieval), and warns in the MLContext's log when an
/// epoch collapsed or had (almost) no active triplet.
/// </summary>
internal sealed class TripletEpochMonitor
{
    /// <summary>Metric names in <see cref="TrainingProgress.Metrics"/>.</summary>
    public const string ActiveTripletFraction = "ActiveTripletFraction";

    /// <inheritdoc cref="ActiveTripletFraction"/>
    public const string MeanPairwiseDistance = "MeanPairwiseDistance";

    /// <inheritdoc cref="ActiveTripletFraction"/>
    public const string MeanTripletLoss = "MeanTripletLoss";

    /// <inheritdoc cref="ActiveTripletFraction"/>
    public const string Collapsed = "Collapsed";

    /// <inheritdoc cref="ActiveTripletFraction"/>
    public const string RecallAt1 = "RecallAt1";

    /// <inheritdoc cref="ActiveTripletFraction"/>
    public const string MeanAveragePrecisionAtR = "MeanAveragePrecisionAtR";

    /// <summary>Below this epoch-mean fraction of active triplets the loss has (almost) nothing to learn from.</summary>
    public const double InactiveFraction = 1e-3;

    private readonly IHost _host;
    private readonly TripletEmbeddingOptions _options;
    private readonly TripletEncoder _encoder;
    private readonly DataViewTensorSource? _validation;
    private readonly TripletValidationData? _validationData;
    private readonly List<CollapseReport> _batches = new();
    private readonly List<string> _collapseWarnings = new();
    private readonly List<string> _warnings = new();

    public TripletEpochMonitor(MLContext context, TripletEmbeddingOptions options, TripletEncoder encoder,
        DataViewTensorSource? validation, TripletValidationData? validationData)
    {
        _host = ((IHostEnvironment)context).Register("TripletEmbedding");
        _options = options;
        _encoder = encoder;
        _validation = validation;
        _validationData = validationData;
    }

    /// <summary>The collapse warnings written so far, one per collapsed epoch.</summary>
    public IReadOnlyList<string> CollapseWarnings => _collapseWarnings;

    /// <summary>Every warning written so far (collapse and inactive epochs).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Records a training batch's report.</summary>
    public void AddBatch(CollapseReport report) => _batches.Add(report);

    /// <summary>Called by the loop after every epoch (eval mode, no_grad): the epoch's metrics; writes the warnings.</summary>
    public IReadOnlyDictionary<string, double> EndEpoch(TrainingContext context)
    {
        var o = _options;
        double active = _batches.Count == 0 ? 0 : _batches.Average(b => b.ActiveTripletFraction);
        double distance = _batches.Count == 0 ? 0 : _batches.Average(b => b.MeanPairwiseDistance);
        double loss = _batches.Count == 0 ? 0 : _batches.Average(b => b.MeanLoss);
        var report = new CollapseReport(active, distance, loss, CollapseDetector.IsCollapsed(active, distance, loss, o.Margin));
        _batches.Clear();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [ActiveTripletFraction] = active,
            [MeanPairwiseDistance] = distance,
            [MeanTripletLoss] = loss,
            [Collapsed] = report.IsCollapsed ? 1 : 0,
        };
        if (_validation is not null && _validationData is not null)
        {
            var scores = Score(_validation, _validationData, context.Device);
            metrics[RecallAt1] = scores.RecallAt1;
            metrics[MeanAveragePrecisionAtR] = scores.MeanAveragePrecisionAtR;
        }
        Warn(context.Epoch, report);
        return metrics;
    }

    /// <summary>Leave-one-out retrieval metrics of the validation rows' embeddings.</summary>
    private NeighbourRetrieval.Result Score(DataViewTensorSource validation, TripletValidationData data, Device device)
    {
        var embeddings = new float[data.Rows * (long)_options.EmbeddingDimension];
        long offset = 0;
        foreach (var batch in validation.GetBatches(256, shuffle: false, seed: 0, device))
        {
            using (batch)
            {
                using var scope = NewDisposeScope();
                var e = _encoder.Embed(batch[TripletTrainingData.InputColumn], 0, 0).cpu().contiguous();
                var values = e.data<float>().ToArray();
                Array.Copy(values, 0, embeddings, offset, values.Length);
                offset += values.Length;
            }
        }
        return NeighbourRetrieval.Compute(embeddings, data.Rows, _options.EmbeddingDimension, data.Labels, data.ClassSizes,
            normalised: false, blockSize: 512);
    }

    private void Warn(int epoch, CollapseReport report)
    {
        var o = _options;
        string? warning = null;
        if (report.IsCollapsed)
        {
            warning = string.Create(CultureInfo.InvariantCulture,
                $"Triplet embedding collapsed at epoch {epoch}: mean pairwise distance {report.MeanPairwiseDistance:G4} (margin {o.Margin:G4}), " +
                $"{report.ActiveTripletFraction:P1} of triplets active, mean triplet loss {report.MeanLoss:G4}. Every input maps to nearly " +
                $"the same point; try semi-hard mining, a smaller margin or a smaller learning rate.");
            _collapseWarnings.Add(warning);
        }
        else if (report.ActiveTripletFraction < InactiveFraction)
        {
            warning = string.Create(CultureInfo.InvariantCulture,
                $"Triplet training epoch {epoch} had almost no active triplets ({report.ActiveTripletFraction:P3} with a non-zero loss; " +
                $"mean pairwise distance {report.MeanPairwiseDistance:G4}, margin {o.Margin:G4}): there is (almost) nothing to learn from. " +
                $"Are an identity's {o.ExamplesPerClass} examples identical (duplicated rows, or one row per identity without an Augmentation)? " +
                $"Give each identity different rows or set Augmentation; a larger Margin or more ClassesPerBatch make batches harder.");
        }
        if (warning is not null)
            Log(warning);
    }

    private void Log(string warning)
    {
        _warnings.Add(warning);
        using var channel = _host.Start("train");
        channel.Warning(MessageSensitivity.None, warning);
    }
}
