using MlNetExt.Core.IO;
using MlNetExt.Core.Pipelines;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Embeddings.Cca;

/// <summary>
/// A fitted CCA (linear or deep): <see cref="ViewA"/> and <see cref="ViewB"/> each map one view to its canonical variates
/// (ordered by correlation) and can be used alone; the model itself applies both. All of them are chains of standard
/// ML.NET transformers (ApplyOnnxModel), so <c>mlContext.Model.Save</c> / <c>Load</c> work; a loaded model is the
/// <see cref="Combined"/> chain.
/// </summary>
public sealed class CcaModel : ChainForwardingTransformer
{
    internal CcaModel(ITransformer viewA, ITransformer viewB, IReadOnlyList<double> canonicalCorrelations,
        byte[] viewAOnnx, byte[] viewBOnnx)
        : base(new TransformerChain<ITransformer>(viewA, viewB))
    {
        ViewA = viewA;
        ViewB = viewB;
        CanonicalCorrelations = canonicalCorrelations;
        ViewAOnnx = viewAOnnx;
        ViewBOnnx = viewBOnnx;
    }

    /// <summary>Transforms view A alone into its canonical variates.</summary>
    public ITransformer ViewA { get; }

    /// <summary>Transforms view B alone into its canonical variates.</summary>
    public ITransformer ViewB { get; }

    /// <summary>Both views: <see cref="ViewA"/> then <see cref="ViewB"/>.</summary>
    public TransformerChain<ITransformer> Combined => ScoringChain;

    /// <summary>Canonical correlations on the training set, largest first (one per output component).</summary>
    public IReadOnlyList<double> CanonicalCorrelations { get; }

    /// <summary>The exported ONNX model of view A (input: the view A column, output: the view A embedding column).</summary>
    public byte[] ViewAOnnx { get; }

    /// <summary>The exported ONNX model of view B.</summary>
    public byte[] ViewBOnnx { get; }

    /// <summary>Writes <see cref="ViewAOnnx"/> to a standalone ONNX file (temporary name, then renamed).</summary>
    /// <param name="path">The file to write.</param>
    public void ExportViewAToOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, ViewAOnnx);
    }

    /// <summary>Writes <see cref="ViewBOnnx"/> to a standalone ONNX file (temporary name, then renamed).</summary>
    /// <param name="path">The file to write.</param>
    public void ExportViewBToOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, ViewBOnnx);
    }
}
