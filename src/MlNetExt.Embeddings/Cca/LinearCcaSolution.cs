using MathNet.Numerics.LinearAlgebra;

namespace MlNetExt.Embeddings.Cca;

/// <summary>A fitted linear CCA: canonical variates of a view are (x - mean) * projection.</summary>
internal sealed record LinearCcaSolution(Vector<double> MeanA, Vector<double> MeanB, Matrix<double> ProjectionA,
    Matrix<double> ProjectionB, double[] Correlations);
