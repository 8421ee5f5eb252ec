namespace MlNetExt.Embeddings.Cca;

/// <summary>Options of the linear CCA estimator (<see cref="CcaCatalog.LinearCca(Microsoft.ML.TransformsCatalog, LinearCcaOptions)"/>).</summary>
public sealed class LinearCcaOptions
{
    /// <summary>The first view: a known-size float vector column.</summary>
    public string ViewAColumnName = "ViewA";

    /// <summary>The second view: a known-size float vector column.</summary>
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
