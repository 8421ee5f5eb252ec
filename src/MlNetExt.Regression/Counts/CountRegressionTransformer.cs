using MlNetExt.Core.Pipelines;
using MlNetExt.Core.IO;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Training;

namespace MlNetExt.Regression.Counts;

/// <summary>
/// A fitted neural count model. Scoring is done by <see cref="Model"/>, a chain of standard ML.NET transformers
/// (ApplyOnnxModel over the exported network, then for a scalar label an exact vector-to-scalar step); this class
/// forwards <see cref="ITransformer"/> and saving to that chain, so <c>mlContext.Model.Save</c> writes the chain and
/// <c>mlContext.Model.Load</c> gives back a <see cref="TransformerChain{TLastTransformer}"/> that scores identically
/// with plain Microsoft.ML + Microsoft.ML.OnnxTransformer. Thread-safety is that of the chain.
/// </summary>
public sealed class CountRegressionTransformer : ChainForwardingTransformer
{
    private readonly byte[] _onnxModel;

    internal CountRegressionTransformer(TransformerChain<ITransformer> model, byte[] onnxModel, float[]? dispersion,
        TrainingResult trainingResult, int outputCount, string[] onnxInputNames, string onnxOutputName)
        : base(model)
    {
        _onnxModel = onnxModel;
        Dispersion = dispersion;
        TrainingResult = trainingResult;
        OutputCount = outputCount;
        OnnxInputNames = onnxInputNames;
        OnnxOutputName = onnxOutputName;
    }

    /// <summary>The standard ML.NET transformers that score (what is saved).</summary>
    public TransformerChain<ITransformer> Model => ScoringChain;

    /// <summary>
    /// NB2 dispersion α per output (Var = μ + α μ²) for negative-binomial models; <see langword="null"/> for Poisson models.
    /// </summary>
    public IReadOnlyList<float>? Dispersion { get; }

    /// <summary>Training history: losses per epoch (true mean NLL per observation), best epoch, early stopping.</summary>
    public TrainingResult TrainingResult { get; }

    /// <summary>Number of outputs (label slots).</summary>
    public int OutputCount { get; }

    /// <summary>Names of the ONNX model's inputs: the feature column, then the exposure column when one was used.</summary>
    public IReadOnlyList<string> OnnxInputNames { get; }

    /// <summary>Name of the ONNX model's output: expected counts, float [batch, outputs].</summary>
    public string OnnxOutputName { get; }

    /// <summary>A copy of the exported ONNX model (features [batch, F] (+ exposure [batch, 1]) -> expected counts [batch, outputs]).</summary>
    public byte[] GetOnnxModel() => (byte[])_onnxModel.Clone();

    /// <summary>Writes the ONNX model to <paramref name="path"/> (through a temporary file and a rename).</summary>
    /// <param name="path">Destination file.</param>
    public void ExportToOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, _onnxModel);
    }

}
