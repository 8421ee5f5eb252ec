using Microsoft.ML.Data;
using Microsoft.ML;
using MlNetExt.Core.Training;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// What an image classifier's training produced: the fitted ML.NET model (standard transformers only, savable with
/// <c>mlContext.Model.Save</c>), the exported ONNX network inside it, the class names and the training history.
/// </summary>
public sealed class ImageClassifierModel
{
    internal ImageClassifierModel(TransformerChain<ITransformer> model, byte[] onnxModel, IReadOnlyList<string> classNames,
        IReadOnlyList<TrainingProgress> history, string onnxInputName, int imageSize)
    {
        Model = model;
        OnnxModel = onnxModel;
        ClassNames = classNames;
        History = history;
        OnnxInputName = onnxInputName;
        ImageSize = imageSize;
    }

    /// <summary>The fitted pipeline: preprocessing, ApplyOnnxModel, post-processing.</summary>
    public TransformerChain<ITransformer> Model { get; }

    /// <summary>The ONNX model ApplyOnnxModel runs: raw pixel vectors [batch, C*H*W] in [0, 255] to class probabilities and index.</summary>
    public byte[] OnnxModel { get; }

    /// <summary>Name of <see cref="OnnxModel"/>'s input (the pixel column).</summary>
    public string OnnxInputName { get; }

    /// <summary>The label's key values as text, in key order (binary: <c>false</c>, <c>true</c>).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Side of the square image the backbone sees.</summary>
    public int ImageSize { get; }

    /// <summary>Progress of every epoch of every stage (stage <c>head</c>, then <c>fine-tune</c>).</summary>
    public IReadOnlyList<TrainingProgress> History { get; }
}
