using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;

namespace MlNetExt.Regression.Gaussian;

/// <summary>
/// A fitted NeuralGaussian model. Scoring is done by <see cref="OnnxModelTransformer.Model"/>, a chain of standard ML.NET
/// transformers (ApplyOnnxModel over the exported network, then the steps that shape the mean and standard deviation
/// columns like the label), so <c>mlContext.Model.Save</c> writes standard transformers that load and score with plain
/// Microsoft.ML + Microsoft.ML.OnnxTransformer; <c>mlContext.DeepLearning().Model.Load</c> gives back this type with its
/// <see cref="OnnxModelTransformer.History"/>. Thread-safety is that of the chain.
/// </summary>
public sealed class NeuralGaussianTransformer : OnnxModelTransformer, IOnnxModelFactory<NeuralGaussianTransformer>
{
    internal const string Kind = "gaussian_regression";

    internal NeuralGaussianTransformer(TransformerChain<ITransformer> model, byte[] onnxModel, TrainingHistory history,
        GaussianArchitecture architecture, string onnxInputName)
        : base(model, onnxModel, history)
    {
        Architecture = architecture;
        OnnxInputName = onnxInputName;
    }

    /// <inheritdoc />
    static string IOnnxModelFactory<NeuralGaussianTransformer>.OnnxModelKind => Kind;

    /// <summary>Name of the mean output of <see cref="OnnxModelTransformer.GetOnnxModel()"/>: float [batch, outputs], label units.</summary>
    public const string OnnxMeanOutputName = "mean";

    /// <summary>Name of the standard deviation output of <see cref="OnnxModelTransformer.GetOnnxModel()"/>: float [batch, outputs], label units.</summary>
    public const string OnnxStdDevOutputName = "std_dev";

    /// <summary>Training history per stage: the mean warm-up (when MeanWarmupEpochs &gt; 0), then the likelihood stage
    /// (when Epochs &gt; MeanWarmupEpochs). Likelihood-stage losses are mean NLLs per value in label units (beta-weighted
    /// when Beta &gt; 0); validation metrics "nll" (plain) and "mse".</summary>
    [Obsolete("Use History.Stages (History also lists every epoch of every stage).")]
    public IReadOnlyList<TrainingResult> TrainingResults => History.Stages;

    /// <summary>Number of label coordinates (1 for a scalar label).</summary>
    public int OutputCount => Architecture.Outputs;

    /// <summary>Name of the ONNX model's input: the feature column, float [batch, features].</summary>
    public string OnnxInputName { get; }

    /// <summary>How to rebuild the network (continue training).</summary>
    internal GaussianArchitecture Architecture { get; }

    /// <inheritdoc />
    static NeuralGaussianTransformer IOnnxModelFactory<NeuralGaussianTransformer>.Restore(MLContext context, RestoredOnnxModel parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var architecture = OnnxModelMetadata.ReadJson<GaussianArchitecture>(parts.Metadata, OnnxModelMetadata.Architecture);
        if (parts.InputNames.Count != 1)
            throw new InvalidDataException($"A Gaussian model's ONNX graph has one input; this one has {parts.InputNames.Count}.");
        // The saved graph's outputs are shaped for the scoring chain; the portable graph (GetOnnxModel) is exported again
        // from the same weights, exactly as Fit exported it.
        var (module, scaling) = architecture.Build(parts.Reader);
        using (module)
        {
            var portable = GaussianOnnxExport.Export(module, scaling!, architecture, parts.History, parts.InputNames[0],
                OnnxMeanOutputName, OnnxStdDevOutputName);
            return new NeuralGaussianTransformer(parts.Model, portable, parts.History, architecture, parts.InputNames[0]);
        }
    }
}
