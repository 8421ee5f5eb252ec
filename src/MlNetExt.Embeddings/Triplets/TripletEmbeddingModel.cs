using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.IO;
using MlNetExt.Core.Training;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// What triplet training produced: the fitted ML.NET model (standard transformers only, savable with
/// <c>mlContext.Model.Save</c>), the exported encoder, the per-epoch history and any training warnings.
/// </summary>
public sealed class TripletEmbeddingModel
{
    internal TripletEmbeddingModel(TransformerChain<ITransformer> model, byte[] encoderOnnx, string encoderInputName, int encoderInputWidth,
        string encoderOutputName, IReadOnlyList<TripletTrainingEpoch> history, IReadOnlyList<string> collapseWarnings,
        IReadOnlyList<string> warnings, TrainingResult? trainingResult)
    {
        Model = model;
        EncoderOnnx = encoderOnnx;
        EncoderInputName = encoderInputName;
        EncoderInputWidth = encoderInputWidth;
        EncoderOutputName = encoderOutputName;
        History = history;
        CollapseWarnings = collapseWarnings;
        Warnings = warnings;
        TrainingResult = trainingResult;
    }

    /// <summary>
    /// The fitted pipeline: for image input ResizeImages + ExtractPixels (MLImage columns only), ApplyOnnxModel, and a
    /// DropColumns of the temporary columns; for vector input ApplyOnnxModel alone.
    /// </summary>
    public TransformerChain<ITransformer> Model { get; }

    /// <summary>
    /// The encoder ONNX Runtime runs: input <see cref="EncoderInputName"/> float [batch, <see cref="EncoderInputWidth"/>]
    /// (the features, or raw pixels C x H x W in [0, 255] for image encoders; scaling, resizing and normalisation are in
    /// the graph), output <see cref="EncoderOutputName"/> float [batch, dimension], L2-normalised.
    /// </summary>
    public byte[] EncoderOnnx { get; }

    /// <summary>Name of <see cref="EncoderOnnx"/>'s input.</summary>
    public string EncoderInputName { get; }

    /// <summary>Width of <see cref="EncoderOnnx"/>'s input vectors.</summary>
    public int EncoderInputWidth { get; }

    /// <summary>Name of <see cref="EncoderOnnx"/>'s output (the embedding column's name).</summary>
    public string EncoderOutputName { get; }

    /// <summary>Loss, collapse report and validation metrics of every epoch run (empty when <c>Epochs</c> is 0).</summary>
    public IReadOnlyList<TripletTrainingEpoch> History { get; }

    /// <summary>The collapse warnings training wrote to the log (empty for a healthy run).</summary>
    public IReadOnlyList<string> CollapseWarnings { get; }

    /// <summary>Every warning training wrote to the log: collapsed epochs and epochs with (almost) no active triplet.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Core's record of the training run (per-epoch losses, learning rate, metrics, the epoch whose weights were
    /// kept); null when <c>Epochs</c> is 0.</summary>
    public TrainingResult? TrainingResult { get; }

    /// <summary>Writes <see cref="EncoderOnnx"/> to <paramref name="path"/> (temporary name, then renamed).</summary>
    /// <param name="path">The .onnx file to write.</param>
    public void ExportEncoderToOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, EncoderOnnx);
    }
}
