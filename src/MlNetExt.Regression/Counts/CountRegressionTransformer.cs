using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Training;

namespace MlNetExt.Regression.Counts;

/// <summary>
/// A fitted neural count model (Poisson, negative-binomial or squared-error). Scoring is done by
/// <see cref="OnnxModelTransformer.Model"/>, a chain of standard ML.NET transformers (ApplyOnnxModel over the exported
/// network, then for a scalar label an exact vector-to-scalar step), so <c>mlContext.Model.Save</c> writes standard
/// transformers that load and score with plain Microsoft.ML + Microsoft.ML.OnnxTransformer;
/// <c>mlContext.DeepLearning().Model.Load</c> gives back this type with its <see cref="OnnxModelTransformer.History"/> and
/// <see cref="Dispersion"/>. Thread-safety is that of the chain.
/// </summary>
public sealed class CountRegressionTransformer : OnnxModelTransformer, IOnnxModelFactory<CountRegressionTransformer>
{
    internal const string Kind = "count_regression";
    internal const string LikelihoodKey = "mlnetext.likelihood";
    internal const string DispersionKey = "mlnetext.dispersion";

    internal CountRegressionTransformer(TransformerChain<ITransformer> model, byte[] onnxModel, TrainingHistory history,
        float[]? dispersion, CountArchitecture architecture, CountModelKind likelihood, string[] onnxInputNames, string onnxOutputName)
        : base(model, onnxModel, history)
    {
        Dispersion = dispersion;
        Architecture = architecture;
        Likelihood = likelihood;
        OnnxInputNames = onnxInputNames;
        OnnxOutputName = onnxOutputName;
    }

    /// <inheritdoc />
    static string IOnnxModelFactory<CountRegressionTransformer>.OnnxModelKind => Kind;

    /// <summary>
    /// NB2 dispersion α per output (Var = μ + α μ²) for negative-binomial models; <see langword="null"/> for Poisson and
    /// squared-error models.
    /// </summary>
    public IReadOnlyList<float>? Dispersion { get; }

    /// <summary>Training history: losses per epoch (true mean NLL per observation), best epoch, early stopping.</summary>
    [Obsolete("Use History: History.Stages[0] is this result, and History lists its epochs.")]
    public TrainingResult TrainingResult => History.Stages[^1];

    /// <summary>Number of outputs (label slots).</summary>
    public int OutputCount => Architecture.Outputs;

    /// <summary>Names of the ONNX model's inputs: the feature column, then the exposure column when one was used.</summary>
    public IReadOnlyList<string> OnnxInputNames { get; }

    /// <summary>Name of the ONNX model's output: expected counts, float [batch, outputs].</summary>
    public string OnnxOutputName { get; }

    /// <summary>How to rebuild the network (continue training).</summary>
    internal CountArchitecture Architecture { get; }

    /// <summary>What the model was trained by.</summary>
    internal CountModelKind Likelihood { get; }

    /// <inheritdoc />
    static CountRegressionTransformer IOnnxModelFactory<CountRegressionTransformer>.Restore(MLContext context, RestoredOnnxModel parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var metadata = parts.Metadata;
        var architecture = OnnxModelMetadata.ReadJson<CountArchitecture>(metadata, OnnxModelMetadata.Architecture);
        if (!metadata.TryGetValue(LikelihoodKey, out var likelihood))
            throw new InvalidDataException($"The count model's ONNX metadata have no '{LikelihoodKey}'.");
        float[]? dispersion = metadata.ContainsKey(DispersionKey)
            ? OnnxModelMetadata.ReadJson<float[]>(metadata, DispersionKey)
            : null;
        if (parts.OutputNames.Count != 1)
            throw new InvalidDataException($"A count model's ONNX graph has one output; this one has {parts.OutputNames.Count}.");
        return new CountRegressionTransformer(parts.Model, parts.OnnxModel, parts.History, dispersion, architecture,
            CountModelKinds.FromMetadata(likelihood), parts.InputNames.ToArray(), parts.OutputNames[0]);
    }
}
