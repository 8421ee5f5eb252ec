using MathNet.Numerics.LinearAlgebra;
using MlNetExt.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Cca;

/// <summary>
/// Closed-form regularised linear CCA in float64: whitening by the eigen-based inverse square roots of
/// Cxx + rI and Cyy + rI, then the SVD of the whitened cross-covariance. The covariances are one GEMM each and the
/// symmetric eigendecompositions and the SVD are LAPACK's (libtorch), not managed loops.
/// </summary>
internal static class LinearCcaSolver
{
    /// <summary>Fits <paramref name="components"/> canonical pairs on rows of <paramref name="a"/> and <paramref name="b"/>; the correlations are those of the training canonical variates.</summary>
    public static LinearCcaSolution Fit(Matrix<double> a, Matrix<double> b, int components, double regularization, double epsilon = 1e-12)
    {
        int n = a.RowCount;
        if (n < 2)
            throw new ArgumentException($"CCA needs at least 2 rows, found {n}.");
        int k = Math.Min(components, Math.Min(a.ColumnCount, b.ColumnCount));
        using var scope = NewDisposeScope();
        using var rows = (n - 1.0).ToScalar();
        using var ridge = regularization.ToScalar();
        // MathNet stores dense matrices column-major: read as row-major they are the transposes, [width, n].
        var at = Transposed(a);
        var bt = Transposed(b);
        var meanA = at.mean(new long[] { 1 }, keepdim: true);
        var meanB = bt.mean(new long[] { 1 }, keepdim: true);
        var ca = at.sub(meanA);
        var cb = bt.sub(meanB);
        var saa = ca.mm(ca.t()).div_(rows).PlusInPlace(eye(a.ColumnCount, dtype: ScalarType.Float64).mul_(ridge));
        var sbb = cb.mm(cb.t()).div_(rows).PlusInPlace(eye(b.ColumnCount, dtype: ScalarType.Float64).mul_(ridge));
        var sab = ca.mm(cb.t()).div_(rows);
        var whitenA = InverseSquareRoot(saa, epsilon);
        var whitenB = InverseSquareRoot(sbb, epsilon);
        var (u, _, vh) = linalg.svd(whitenA.mm(sab).mm(whitenB), fullMatrices: false);
        var projectionA = whitenA.mm(u.narrow(1, 0, k));
        var projectionB = whitenB.mm(vh.narrow(0, 0, k).t());
        // Report the sample correlations of the canonical variates themselves (the singular values are shrunk by r).
        var correlations = PairedCorrelations(projectionA.t().mm(ca), projectionB.t().mm(cb));
        return new LinearCcaSolution(Vector(meanA), Vector(meanB), Matrix(projectionA), Matrix(projectionB), correlations);
    }

    /// <summary>S^-1/2 = V diag(max(λ, ε)^-1/2) Vᵀ for a symmetric float64 matrix S (eigenvalues from LAPACK's syevd).</summary>
    public static Tensor InverseSquareRoot(Tensor symmetric, double epsilon)
    {
        using var floor = epsilon.ToScalar();
        var (values, vectors) = linalg.eigh(symmetric);
        return vectors.mul(values.clamp_min(floor).rsqrt().unsqueeze(0)).mm(vectors.t());
    }

    /// <summary>Pearson correlation of each pair of rows of two [k, n] tensors of canonical variates.</summary>
    private static double[] PairedCorrelations(Tensor u, Tensor v)
    {
        var cu = u.sub(u.mean(new long[] { 1 }, keepdim: true));
        var cv = v.sub(v.mean(new long[] { 1 }, keepdim: true));
        var r = cu.mul(cv).sum(1).div(cu.Squared().sum(1).mul(cv.Squared().sum(1)).sqrt());
        return r.cpu().data<double>().ToArray();
    }

    private static Tensor Transposed(Matrix<double> m) =>
        tensor(m.AsColumnMajorArray() ?? m.ToColumnMajorArray(), new long[] { m.ColumnCount, m.RowCount });

    private static Vector<double> Vector(Tensor column) => Vector<double>.Build.DenseOfArray(column.flatten().cpu().data<double>().ToArray());

    private static Matrix<double> Matrix(Tensor t)
    {
        // Row-major [r, c] data read column-major is the transpose.
        var rowMajor = t.contiguous().cpu().data<double>().ToArray();
        return Matrix<double>.Build.Dense((int)t.shape[1], (int)t.shape[0], rowMajor).Transpose();
    }
}
