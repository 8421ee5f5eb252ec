namespace MlNetExt.Vision.Classification;

/// <summary>Input layout of a standalone image classifier ONNX file (<see cref="ImageClassifierModel.ExportToOnnx"/>).</summary>
public enum OnnxImageLayout
{
    /// <summary>Input <c>image</c>: uint8 <c>[batch, height, width, 3]</c>, RGB, values 0..255 (what image decoders give).</summary>
    UInt8Nhwc,

    /// <summary>Input <c>image</c>: float <c>[batch, 3, height, width]</c>, RGB, values 0..255 (not normalised).</summary>
    FloatNchw,
}
