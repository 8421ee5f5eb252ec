namespace MlNetExt.Embeddings.Cca;

/// <summary>Options of the linear CCA estimator (<see cref="CcaCatalog.LinearCca(Microsoft.ML.TransformsCatalog, LinearCcaOptions)"/>).</summary>
public sealed class LinearCcaOptions
{
    /// <summary>The first view: a known-size numeric vector column.</summary>
    /// <remarks>Single, Double, an integer type or Boolean: the model converts another type to Single (ML.NET's
    /// <c>ConvertType</c>, in place) before its ONNX graph, which reads floats; Double is rounded to the nearest Single,
    /// Boolean true is 1. Other types are refused before training.</remarks>
    public string ViewAColumnName = "ViewA";

    /// <summary>The second view: a known-size numeric vector column (types as <see cref="ViewAColumnName"/>).</summary>
    public string ViewBColumnName = "ViewB";

    /// <summary>Output column of view A's canonical variates.</summary>
    public string ViewAOutputColumnName = "ViewAEmbedding";

    /// <summary>Output column of view B's canonical variates.</summary>
    public string ViewBOutputColumnName = "ViewBEmbedding";

    /// <summary>Number of canonical pairs k (capped at the smaller view width).</summary>
    public int Components = 2;

    /// <summary>Ridge r added to both covariance matrices (Cxx + rI, Cyy + rI).</summary>
    public double Regularization = 1e-4;
}
