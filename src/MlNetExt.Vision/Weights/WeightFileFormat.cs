namespace MlNetExt.Vision.Weights;

/// <summary>Weight file formats <see cref="WeightFile"/> knows.</summary>
public enum WeightFileFormat
{
    /// <summary><c>.safetensors</c>.</summary>
    SafeTensors,

    /// <summary>TorchSharp's <c>module.save</c> format (<c>.dat</c>, <c>.bin</c> written by TorchSharp).</summary>
    TorchSharp,

    /// <summary>An ONNX model's initializers (<c>.onnx</c>).</summary>
    Onnx,

    /// <summary>
    /// A PyTorch checkpoint written by <c>torch.save</c> (<c>.pth</c>, <c>.pt</c>, <c>.ckpt</c>, a zip-format <c>.bin</c>):
    /// read by <see cref="PyTorchCheckpoint"/>, which accepts plain state dicts only and never runs code from the file.
    /// </summary>
    PyTorchPickle,

    /// <summary>
    /// An ML.NET model zip (<c>mlContext.Model.Save</c>), which is not a weight file: <see cref="WeightFile.Read"/> refuses
    /// it with a message saying so.
    /// </summary>
    MlNetModel,

    /// <summary>A zip archive that is neither a PyTorch checkpoint nor an ML.NET model; <see cref="WeightFile.Read"/> refuses it.</summary>
    UnknownZip,
}
