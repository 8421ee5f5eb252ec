namespace MlNetExt.Core.Training;

/// <summary>How a data view column becomes a tensor.</summary>
public enum TensorColumnKind
{
    /// <summary>A numeric scalar or known-size vector (Single, Double, Int32, UInt32, Int64, Byte, Boolean, ...) -> float32 [N, width].</summary>
    Float,

    /// <summary>A key column -> int64 [N] holding the 0-based class index (key value - 1).</summary>
    KeyIndex,
}
