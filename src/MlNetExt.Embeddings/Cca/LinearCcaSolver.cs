using MathNet.Numerics.LinearAlgebra;

namespace MlNetExt.Embeddings.Cca;

/// <summary>
/// Closed-form regularised linear CCA in float64: whitening by the eigen-based inverse square roots of
/// Cxx + rI and Cyy + rI, then the SVD of the whitened cross-covariance.
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
        var meanA = a.ColumnSums() / n;
        var meanB = b.ColumnSums() / n;
        var ca = a - Matrix<double>.Build.Dense(n, a.ColumnCount, (_, j) => meanA[j]);
        var cb = b - Matrix<double>.Build.Dense(n, b.ColumnCount, (_, j) => meanB[j]);
        var saa = ca.TransposeThisAndMultiply(ca) / (n - 1) + Matrix<double>.Build.DenseIdentity(a.ColumnCount) * regularization;
        var sbb = cb.TransposeThisAndMultiply(cb) / (n - 1) + Matrix<double>.Build.DenseIdentity(b.ColumnCount) * regularization;
        var sab = ca.TransposeThisAndMultiply(cb) / (n - 1);
        var whitenA = InverseSquareRoot(saa, epsilon);
        var whitenB = InverseSquareRoot(sbb, epsilon);
        var t = whitenA * sab * whitenB;
        var svd = t.Svd(computeVectors: true);
        var projectionA = whitenA * svd.U.SubMatrix(0, svd.U.RowCount, 0, k);
        var projectionB = whitenB * svd.VT.Transpose().SubMatrix(0, svd.VT.ColumnCount, 0, k);
        // Report the sample correlations of the canonical variates themselves (the singular values are shrunk by r).
        var correlations = PairedCorrelations(ca * projectionA, cb * projectionB);
        return new LinearCcaSolution(meanA, meanB, projectionA, projectionB, correlations);
    }

    /// <summary>S^-1/2 = V diag(max(λ, ε)^-1/2) Vᵀ for a symmetric matrix S.</summary>
    public static Matrix<double> InverseSquareRoot(Matrix<double> symmetric, double epsilon)
    {
        var evd = symmetric.Evd(Symmetricity.Symmetric);
        var scale = evd.EigenValues.Select(e => 1.0 / Math.Sqrt(Math.Max(e.Real, epsilon))).ToArray();
        return evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalArray(scale) * evd.EigenVectors.Transpose();
    }

    /// <summary>Pearson correlation of each pair of columns of two [rows, k] matrices of canonical variates.</summary>
    public static double[] PairedCorrelations(Matrix<double> u, Matrix<double> v)
    {
        var result = new double[u.ColumnCount];
        for (int j = 0; j < u.ColumnCount; j++)
            result[j] = MathNet.Numerics.Statistics.Correlation.Pearson(u.Column(j), v.Column(j));
        return result;
    }
}
