using MlNetExt.Core.Pipelines;
using MlNetExt.Core.IO;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Training;

namespace MlNetExt.Regression.Gaussian;

/// <summary>
/// A fitted NeuralGaussian model. Scoring is done by <see cref="Model"/>, a chain of standard ML.NET transformers
/// (ApplyOnnxModel over the exported network, then the steps that shape the mean and standard deviation columns like the
/// label); this class forwards <see cref="ITransformer"/> and saving to that chain, so <c>mlContext.Model.Save</c>
/// writes the chain and <c>mlContext.Model.Load</c> gives back a <see cref="TransformerChain{TLastTransformer}"/> that
/// scores identically with plain Microsoft.ML + Microsoft.ML.OnnxTransformer. Thread-safety is that of the chain.
/// </summary>
public sealed class NeuralGaussianTransformer : ChainForwardingTransformer
{
    private readonly byte[] _onnxModel;

    internal NeuralGaussianTransformer(TransformerChain<ITransformer> model, byte[] onnxModel,
        IReadOnlyList<TrainingResult> trainingResults, int outputCount, string onnxInputName)
        : base(model)
    {
        _onnxModel = onnxModel;
        TrainingResults = trainingResults;
        OutputCount = outputCount;
        OnnxInputName = onnxInputName;
    }

    /// <summary>Name of the mean output of <see cref="GetOnnxModel"/>: float [batch, outputs], label units.</summary>
    public const string OnnxMeanOutputName = "mean";

    /// <summary>Name of the standard deviation output of <see cref="GetOnnxModel"/>: float [batch, outputs], label units.</summary>
    public const string OnnxStdDevOutputName = "std_dev";

    /// <summary>The standard ML.NET transformers that score (what is saved).</summary>
    public TransformerChain<ITransformer> Model => ScoringChain;

    /// <summary>Training history per stage: the mean warm-up (when MeanWarmupEpochs &gt; 0), then the likelihood stage
    /// (when Epochs &gt; MeanWarmupEpochs). Likelihood-stage losses are mean NLLs per value in label units (beta-weighted
    /// when Beta &gt; 0); validation metrics "nll" (plain) and "mse".</summary>
    public IReadOnlyList<TrainingResult> TrainingResults { get; }

    /// <summary>Number of label coordinates (1 for a Single label).</summary>
    public int OutputCount { get; }

    /// <summary>Name of the ONNX model's input: the feature column, float [batch, features].</summary>
    public string OnnxInputName { get; }

    /// <summary>A copy of the exported ONNX model: raw features [batch, F] -> <see cref="OnnxMeanOutputName"/> and
    /// <see cref="OnnxStdDevOutputName"/>, both [batch, outputs] in label units (standardisation folded in).</summary>
    public byte[] GetOnnxModel() => (byte[])_onnxModel.Clone();

    /// <summary>Writes <see cref="GetOnnxModel"/> to <paramref name="path"/> (through a temporary file and a rename).</summary>
    /// <param name="path">Destination file.</param>
    public void ExportToOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, _onnxModel);
    }

}
