using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Onnx.Protobuf;
using MlNetExt.Core.Pipelines;
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
/// <para>For verification and identification a model can carry a <see cref="VerificationThreshold"/> and a
/// <see cref="Gallery"/> (<see cref="WithVerification"/>); both travel in the ONNX metadata, so they are saved with the
/// model and come back from <c>mlContext.DeepLearning().Model.Load</c>.</para>
/// </summary>
public sealed class TripletEmbeddingModel : OnnxModelTransformer, IOnnxModelFactory<TripletEmbeddingModel>
{
    internal const string Kind = "triplet_embedding";
    internal const string WarningsKey = "mlnetext.training_warnings";
    internal const string CollapseWarningsKey = "mlnetext.collapse_warnings";
    internal const string VerificationThresholdKey = "mlnetext.verification_threshold";

    private readonly MLContext _context;

    internal TripletEmbeddingModel(MLContext context, TransformerChain<ITransformer> model, byte[] encoderOnnx, TrainingHistory history,
        string encoderInputName, int encoderInputWidth, string encoderOutputName, IReadOnlyList<string> collapseWarnings,
        IReadOnlyList<string> warnings)
        : base(model, encoderOnnx, history)
    {
        _context = context;
        VerificationThreshold = OnnxMetadata.ContainsKey(VerificationThresholdKey)
            ? OnnxModelMetadata.ReadNumber(OnnxMetadata, VerificationThresholdKey) : null;
        Gallery = OnnxMetadata.TryGetValue(EmbeddingGalleryMetadata.Key, out var gallery) ? EmbeddingGalleryMetadata.Read(gallery) : null;
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

    /// <summary>The distance (Euclidean, between L2-normalised embeddings) at or below which two inputs are called the same
    /// identity, for example <c>EqualErrorRateThreshold</c> of <c>mlContext.DeepLearning().Embeddings.Evaluate</c> on held-out
    /// identities; null when none was set with <see cref="WithVerification"/>.</summary>
    public double? VerificationThreshold { get; }

    /// <summary>The labelled embeddings <see cref="Identify"/> compares a query with; null when none was set with
    /// <see cref="WithVerification"/>.</summary>
    public EmbeddingGallery? Gallery { get; }

    /// <summary>The shape of the encoder, from <c>mlnetext.architecture</c>.</summary>
    internal TripletArchitecture Architecture => OnnxModelMetadata.ReadJson<TripletArchitecture>(OnnxMetadata, OnnxModelMetadata.Architecture);

    /// <summary>
    /// This model carrying <paramref name="verificationThreshold"/> and <paramref name="gallery"/> (null: none) in its ONNX
    /// metadata (<c>mlnetext.verification_threshold</c>, <c>mlnetext.gallery</c>), so that they are saved with it and come back
    /// from <c>mlContext.DeepLearning().Model.Load</c>. The embeddings are unchanged; this model is not modified. A gallery is
    /// stored exactly, as float32 (see docs/onnx-metadata.md), up to 16 M values (entries x dimension).
    /// </summary>
    /// <param name="verificationThreshold">A finite, non-negative Euclidean distance, or null.</param>
    /// <param name="gallery">Embeddings of known identities made by this model (same dimension), or null.</param>
    /// <returns>A new model with the same scoring chain apart from the ONNX graph's metadata.</returns>
    /// <exception cref="ArgumentException">The threshold is negative or not finite, the gallery's dimension is not the
    /// embedding's, or the gallery is too large to carry in the model.</exception>
    public TripletEmbeddingModel WithVerification(double? verificationThreshold, EmbeddingGallery? gallery = null)
    {
        if (verificationThreshold is double t && (!double.IsFinite(t) || t < 0))
            throw new ArgumentOutOfRangeException(nameof(verificationThreshold), t, "The verification threshold must be a finite, non-negative distance.");
        int dimension = Architecture.EmbeddingDimension;
        if (gallery is not null && gallery.Dimension != dimension)
            throw new ArgumentException(
                $"The gallery's embeddings have {gallery.Dimension} values; this model's '{EncoderOutputName}' embeddings have {dimension}.", nameof(gallery));
        var entries = new Dictionary<string, string?>
        {
            [VerificationThresholdKey] = verificationThreshold is double v ? OnnxModelMetadata.FormatNumber(v) : null,
            [EmbeddingGalleryMetadata.Key] = gallery is null ? null : EmbeddingGalleryMetadata.Write(gallery),
        };
        var onnx = WithMetadata(GetOnnxModel(), entries);
        var inputSchema = new DataViewSchema.Builder();
        inputSchema.AddColumn(EncoderInputName, new VectorDataViewType(NumberDataViewType.Single, EncoderInputWidth));
        var apply = OnnxTransformerFactory.Create(_context, onnx, [EncoderOutputName], [EncoderInputName], inputSchema.ToSchema());
        int replaced = 0;
        var parts = Model.Select(part =>
        {
            if (!OnnxScoringGraphs.TryGet(part, out _))
                return part;
            replaced++;
            return apply;
        }).ToArray();
        if (replaced != 1)
            throw new InvalidOperationException($"The model's scoring chain holds {replaced} ONNX transformers; a triplet embedding's holds one.");
        return new TripletEmbeddingModel(_context, new TransformerChain<ITransformer>(parts), onnx, History, EncoderInputName, EncoderInputWidth,
            EncoderOutputName, CollapseWarnings, Warnings);
    }

    /// <summary>The <see cref="Gallery"/> identity nearest to <paramref name="embedding"/> (one row of this model's output) and
    /// its Euclidean distance; the identity is null ("unknown") when that distance exceeds <see cref="VerificationThreshold"/>
    /// (no threshold: the nearest identity is always given).</summary>
    /// <param name="embedding">An embedding made by this model.</param>
    /// <exception cref="InvalidOperationException">The model has no gallery.</exception>
    public (string? Identity, double Distance) Identify(ReadOnlySpan<float> embedding)
    {
        var gallery = Gallery ?? throw new InvalidOperationException(
            "This model has no gallery to identify against; add one with WithVerification(threshold, EmbeddingGallery.FromData(...)).");
        return gallery.Identify(embedding, VerificationThreshold ?? double.PositiveInfinity);
    }

    /// <summary>The ONNX model with <paramref name="entries"/> set in its metadata (a null value removes the key); every other
    /// field is kept as parsed.</summary>
    private static byte[] WithMetadata(byte[] onnx, IReadOnlyDictionary<string, string?> entries)
    {
        var model = ModelProto.Parser.ParseFrom(onnx);
        var kept = model.MetadataProps.Where(p => !entries.ContainsKey(p.Key)).ToArray();
        model.MetadataProps.Clear();
        model.MetadataProps.AddRange(kept);
        foreach (var (key, value) in entries)
        {
            if (value is not null)
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return Google.Protobuf.MessageExtensions.ToByteArray(model);
    }

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
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parts);
        var architecture = OnnxModelMetadata.ReadJson<TripletArchitecture>(parts.Metadata, OnnxModelMetadata.Architecture);
        if (parts.InputNames.Count != 1 || parts.OutputNames.Count != 1)
            throw new InvalidDataException(
                $"A triplet embedding's ONNX graph has one input and one output; this one has {parts.InputNames.Count} and {parts.OutputNames.Count}.");
        string[] Strings(string key) => parts.Metadata.ContainsKey(key) ? OnnxModelMetadata.ReadJson<string[]>(parts.Metadata, key) : [];
        return new TripletEmbeddingModel(context, parts.Model, parts.OnnxModel, parts.History, parts.InputNames[0], architecture.InputWidth,
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
