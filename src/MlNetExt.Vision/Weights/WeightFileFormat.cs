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

    /// <summary>A Python pickle / PyTorch zip checkpoint (<c>.pth</c>, <c>.pt</c>, <c>.ckpt</c>, <c>.pkl</c>): refused.</summary>
    PyTorchPickle,
}
