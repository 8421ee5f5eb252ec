using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;

namespace MlNetExt.Embeddings.Cca;

/// <summary>
/// A fitted CCA (linear or deep). The model maps both views to their canonical variates (ordered by correlation) with
/// one ONNX graph (<see cref="OnnxModelTransformer.GetOnnxModel()"/>) scored by a standard ApplyOnnxModel transformer, so
/// <c>mlContext.Model.Save</c> / <c>Load</c> work with plain ML.NET, and <c>mlContext.DeepLearning().Model.Load</c> gives
/// this type back with its <see cref="OnnxModelTransformer.History"/> and <see cref="CanonicalCorrelations"/>. Each view
/// also has a standalone graph (<see cref="ViewAOnnxModelName"/>, <see cref="ViewBOnnxModelName"/>:
/// <c>GetOnnxModel("ViewA")</c>, <c>ExportToOnnx(path, "ViewA")</c>) and transformer (<see cref="ViewA"/>,
/// <see cref="ViewB"/>) that need only that view's column.
/// </summary>
/// <remarks>Thread-safety is that of the chain. <see cref="ViewA"/> and <see cref="ViewB"/> are created on first use;
/// disposing the model releases the combined model's ONNX Runtime session, theirs go with the garbage collector.</remarks>
public sealed class CcaModel : OnnxModelTransformer, IOnnxModelFactory<CcaModel>
{
    /// <summary>The name of view A's standalone ONNX model in <see cref="OnnxModelTransformer.OnnxModelNames"/>.</summary>
    public const string ViewAOnnxModelName = "ViewA";

    /// <summary>The name of view B's standalone ONNX model in <see cref="OnnxModelTransformer.OnnxModelNames"/>.</summary>
    public const string ViewBOnnxModelName = "ViewB";

    internal const string Kind = "cca";
    internal const string ViewKind = "cca_view";
    internal const string CorrelationsKey = "mlnetext.canonical_correlations";
    internal const string ViewKey = "mlnetext.view";

    private readonly Lazy<ITransformer> _viewA;
    private readonly Lazy<ITransformer> _viewB;

    internal CcaModel(MLContext context, TransformerChain<ITransformer> model, byte[] onnxModel, TrainingHistory history,
        IReadOnlyList<double> canonicalCorrelations, CcaArchitecture architecture)
        : base(model, onnxModel, history, CcaViewGraph.ExtractBoth(onnxModel, architecture))
    {
        CanonicalCorrelations = canonicalCorrelations;
        Architecture = architecture;
        _viewA = new Lazy<ITransformer>(() => ViewTransformer(context, architecture.ViewA, ViewAOnnxModelName));
        _viewB = new Lazy<ITransformer>(() => ViewTransformer(context, architecture.ViewB, ViewBOnnxModelName));
    }

    /// <inheritdoc />
    static string IOnnxModelFactory<CcaModel>.OnnxModelKind => Kind;

    /// <summary>Canonical correlations on the training set, largest first (one per output component).</summary>
    public IReadOnlyList<double> CanonicalCorrelations { get; }

    /// <summary>Transforms view A alone into its canonical variates (the data need not have view B; the view may hold any
    /// numeric type, converted to Single).</summary>
    public ITransformer ViewA => _viewA.Value;

    /// <summary>Transforms view B alone into its canonical variates (the data need not have view A; the view may hold any
    /// numeric type, converted to Single).</summary>
    public ITransformer ViewB => _viewB.Value;

    /// <summary>Both views.</summary>
    [Obsolete("Use Model (the standard transformers that score both views), or the model itself.")]
    public TransformerChain<ITransformer> Combined => Model;

    /// <summary>The exported ONNX model of view A (input: the view A column, output: the view A canonical variates).</summary>
    [Obsolete("Use GetOnnxModel(CcaModel.ViewAOnnxModelName).")]
    public byte[] ViewAOnnx => GetOnnxModel(ViewAOnnxModelName);

    /// <summary>The exported ONNX model of view B.</summary>
    [Obsolete("Use GetOnnxModel(CcaModel.ViewBOnnxModelName).")]
    public byte[] ViewBOnnx => GetOnnxModel(ViewBOnnxModelName);

    /// <summary>How the model was built (continue training).</summary>
    internal CcaArchitecture Architecture { get; }

    /// <summary>Writes view A's standalone ONNX model (temporary name, then renamed).</summary>
    /// <param name="path">The file to write.</param>
    [Obsolete("Use ExportToOnnx(path, CcaModel.ViewAOnnxModelName).")]
    public void ExportViewAToOnnx(string path) => ExportToOnnx(path, ViewAOnnxModelName);

    /// <summary>Writes view B's standalone ONNX model (temporary name, then renamed).</summary>
    /// <param name="path">The file to write.</param>
    [Obsolete("Use ExportToOnnx(path, CcaModel.ViewBOnnxModelName).")]
    public void ExportViewBToOnnx(string path) => ExportToOnnx(path, ViewBOnnxModelName);

    /// <inheritdoc />
    static CcaModel IOnnxModelFactory<CcaModel>.Restore(MLContext context, RestoredOnnxModel parts)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parts);
        var architecture = OnnxModelMetadata.ReadJson<CcaArchitecture>(parts.Metadata, OnnxModelMetadata.Architecture);
        if (architecture.Network != CcaArchitecture.NetworkName || architecture.ViewA is null || architecture.ViewB is null)
            throw new InvalidDataException(
                $"The CCA model's '{OnnxModelMetadata.Architecture}' metadata describe network '{architecture.Network}', not two CCA views.");
        var correlations = OnnxModelMetadata.ReadJson<double[]>(parts.Metadata, CorrelationsKey);
        if (correlations.Length != architecture.Components)
            throw new InvalidDataException(
                $"The CCA model has {architecture.Components} components but {correlations.Length} canonical correlations in '{CorrelationsKey}'.");
        return new CcaModel(context, parts.Model, parts.OnnxModel, parts.History, correlations, architecture);
    }

    /// <summary>The single-view scoring transformer: ConvertType of the view to Single (so it reads every numeric type, as
    /// the combined model does, whatever type it was trained on), then ApplyOnnxModel over the view's standalone graph.</summary>
    private ITransformer ViewTransformer(MLContext context, CcaViewArchitecture view, string name)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(view.InputColumn, new VectorDataViewType(NumberDataViewType.Single, view.InputWidth));
        var schema = builder.ToSchema();
        var convert = context.Transforms.Conversion.ConvertType(view.InputColumn, outputKind: DataKind.Single).Fit(new SchemaOnlyDataView(schema));
        var apply = OnnxTransformerFactory.Create(context, GetOnnxModel(name), [view.OutputColumn], [view.InputColumn], schema);
        return new TransformerChain<ITransformer>(convert, apply);
    }
}
