using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Training;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// A fitted triplet embedding. Scoring is done by <see cref="OnnxModelTransformer.Model"/>, standard transformers only
/// (for image input ResizeImages + ExtractPixels, then ApplyOnnxModel over the exported encoder and a DropColumns of the
/// temporary columns; for vector input ApplyOnnxModel alone), so <c>mlContext.Model.Save</c> writes a model that loads with
/// plain ML.NET; <c>mlContext.DeepLearning().Model.Load</c> gives back this type with its
/// <see cref="OnnxModelTransformer.History"/> and warnings. <see cref="OnnxModelTransformer.GetOnnxModel()"/> is the
/// encoder: input <see cref="EncoderInputName"/> float [batch, <see cref="EncoderInputWidth"/>] (the features, or raw
/// pixels C x H x W in [0, 255] for image encoders; scaling, resizing and normalisation are in the graph), output
/// <see cref="EncoderOutputName"/> float [batch, dimension], L2-normalised.
/// </summary>
public sealed class TripletEmbeddingModel : OnnxModelTransformer, IOnnxModelFactory<TripletEmbeddingModel>
{
    internal const string Kind = "triplet_embedding";
    internal const string WarningsKey = "mlnetext.training_warnings";
    internal const string CollapseWarningsKey = "mlnetext.collapse_warnings";

    internal TripletEmbeddingModel(TransformerChain<ITransformer> model, byte[] encoderOnnx, TrainingHistory history,
        string encoderInputName, int encoderInputWidth, string encoderOutputName, IReadOnlyList<string> collapseWarnings,
        IReadOnlyList<string> warnings)
        : base(model, encoderOnnx, history)
    {
        EncoderInputName = encoderInputName;
        EncoderInputWidth = encoderInputWidth;
        EncoderOutputName = encoderOutputName;
        CollapseWarnings = collapseWarnings;
        Warnings = warnings;
        TripletEpochs = history.Select(ToTripletEpoch).ToArray();
    }

    /// <inheritdoc />
    static string IOnnxModelFactory<TripletEmbeddingModel>.OnnxModelKind => Kind;

    /// <summary>Name of the encoder graph's input.</summary>
    public string EncoderInputName { get; }

    /// <summary>Width of the encoder graph's input vectors.</summary>
    public int EncoderInputWidth { get; }

    /// <summary>Name of the encoder graph's output (the embedding column's name).</summary>
    public string EncoderOutputName { get; }

    /// <summary>The triplet figures of every epoch (loss, collapse report, validation retrieval), read from
    /// <see cref="OnnxModelTransformer.History"/>'s metrics; empty when <c>Epochs</c> is 0.</summary>
    public IReadOnlyList<TripletTrainingEpoch> TripletEpochs { get; }

    /// <summary>The collapse report of the last epoch (null when <c>Epochs</c> is 0).</summary>
    public CollapseReport? LastCollapseReport => TripletEpochs.Count == 0 ? null : TripletEpochs[^1].Collapse;

    /// <summary>The collapse warnings training wrote to the log (empty for a healthy run).</summary>
    public IReadOnlyList<string> CollapseWarnings { get; }

    /// <summary>Every warning training wrote to the log: collapsed epochs and epochs with (almost) no active triplet.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The encoder's ONNX model.</summary>
    [Obsolete("Use GetOnnxModel().")]
    public byte[] EncoderOnnx => GetOnnxModel();

    /// <summary>Core's record of the training run; null when <c>Epochs</c> is 0.</summary>
    [Obsolete("Use History: History.Stages[^1] is this result, and History lists its epochs.")]
    public TrainingResult? TrainingResult => History.Stages.Count == 0 ? null : History.Stages[^1];

    /// <summary>Writes the encoder's ONNX model to <paramref name="path"/> (temporary name, then renamed).</summary>
    /// <param name="path">The .onnx file to write.</param>
    [Obsolete("Use ExportToOnnx(path).")]
    public void ExportEncoderToOnnx(string path) => ExportToOnnx(path);

    /// <inheritdoc />
    static TripletEmbeddingModel IOnnxModelFactory<TripletEmbeddingModel>.Restore(MLContext context, RestoredOnnxModel parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var architecture = OnnxModelMetadata.ReadJson<TripletArchitecture>(parts.Metadata, OnnxModelMetadata.Architecture);
        if (parts.InputNames.Count != 1 || parts.OutputNames.Count != 1)
            throw new InvalidDataException(
                $"A triplet embedding's ONNX graph has one input and one output; this one has {parts.InputNames.Count} and {parts.OutputNames.Count}.");
        string[] Strings(string key) => parts.Metadata.ContainsKey(key) ? OnnxModelMetadata.ReadJson<string[]>(parts.Metadata, key) : [];
        return new TripletEmbeddingModel(parts.Model, parts.OnnxModel, parts.History, parts.InputNames[0], architecture.InputWidth,
            parts.OutputNames[0], Strings(CollapseWarningsKey), Strings(WarningsKey));
    }

    private static TripletTrainingEpoch ToTripletEpoch(TrainingProgress p)
    {
        double Metric(string name) => p.Metrics.TryGetValue(name, out var v) ? v : double.NaN;
        var collapse = new CollapseReport(Metric(TripletEpochMonitor.ActiveTripletFraction), Metric(TripletEpochMonitor.MeanPairwiseDistance),
            Metric(TripletEpochMonitor.MeanTripletLoss), Metric(TripletEpochMonitor.Collapsed) == 1);
        return new TripletTrainingEpoch(p.Epoch, p.TrainLoss, collapse,
            p.Metrics.TryGetValue(TripletEpochMonitor.RecallAt1, out var r) ? r : null,
            p.Metrics.TryGetValue(TripletEpochMonitor.MeanAveragePrecisionAtR, out var m) ? m : null);
    }
}
