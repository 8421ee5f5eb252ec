using MlNetExt.Core.Torch;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Cca;

/// <summary>The DCCA loss: minus the sum of the top-k singular values of T = Saa^-1/2 Sab Sbb^-1/2, in float64.</summary>
internal static class DeepCcaLoss
{
    /// <summary>Loss of one batch of paired encodings [n, oa] and [n, ob] (float32 scalar; computed in float64).</summary>
    public static Tensor Compute(Tensor encodedA, Tensor encodedB, int components, double regularization, double epsilon)
    {
        var a = encodedA.to(ScalarType.Float64);
        var b = encodedB.to(ScalarType.Float64);
        long n = a.shape[0];
        var ca = a - a.mean(new long[] { 0 }, keepdim: true);
        var cb = b - b.mean(new long[] { 0 }, keepdim: true);
        double scale = 1.0 / Math.Max(1, n - 1);
        var saa = ca.t().mm(ca).Times(scale).Plus(eye(a.shape[1], dtype: ScalarType.Float64, device: a.device).Times(regularization));
        var sbb = cb.t().mm(cb).Times(scale).Plus(eye(b.shape[1], dtype: ScalarType.Float64, device: b.device).Times(regularization));
        var sab = ca.t().mm(cb).Times(scale);
        var t = InverseSquareRoot(saa, epsilon).mm(sab).mm(InverseSquareRoot(sbb, epsilon));
        var singular = linalg.svdvals(t);
        int k = (int)Math.Min(components, singular.shape[0]);
        return singular.narrow(0, 0, k).sum().neg().to(ScalarType.Float32);
    }

    private static Tensor InverseSquareRoot(Tensor symmetric, double epsilon)
    {
        var (values, vectors) = linalg.eigh(symmetric);
        var scale = values.AtLeast(epsilon).rsqrt();
        return vectors.mm(diag(scale)).mm(vectors.t());
    }
}
