using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests;

internal static class TensorEquality
{
    /// <summary>Same shape, dtype and values.</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape))
        {
            return false;
        }

        using var eq = a.eq(b).all();
        return eq.item<bool>();
    }
}
