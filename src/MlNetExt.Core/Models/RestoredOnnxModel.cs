using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;

namespace MlNetExt.Core.Models;

/// <summary>What <c>mlContext.DeepLearning().Model.Load</c> read back for one MlNetExt model, handed to
/// <see cref="IOnnxModelFactory{TSelf}.Restore"/>.</summary>
public sealed class RestoredOnnxModel
{
    internal RestoredOnnxModel(TransformerChain<ITransformer> model, byte[] onnxModel, OnnxModelReader onnx)
    {
        Model = model;
        OnnxModel = onnxModel;
        Reader = onnx;
        Metadata = OnnxModelMetadata.Read(onnx);
        ModelKind = Metadata.TryGetValue(OnnxModelMetadata.Model, out var kind) ? kind : "";
        History = OnnxModelMetadata.ReadHistory(Metadata);
        InputNames = onnx.InputNames;
        OutputNames = onnx.OutputNames;
    }

    /// <summary>The loaded chain of standard transformers (it scores exactly as the saved model did).</summary>
    public TransformerChain<ITransformer> Model { get; }

    /// <summary>The ONNX model the chain scores with, as saved (not a copy: do not modify it).</summary>
    public byte[] OnnxModel { get; }

    /// <summary>The ONNX model's MlNetExt metadata (<c>mlnetext.*</c> keys).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The <c>mlnetext.model</c> value.</summary>
    public string ModelKind { get; }

    /// <summary>The training history from <c>mlnetext.history</c> (empty when absent).</summary>
    public TrainingHistory History { get; }

    /// <summary>The ONNX graph's input names.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The ONNX graph's output names.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>The parsed ONNX model (weights by initializer name).</summary>
    internal OnnxModelReader Reader { get; }
}
