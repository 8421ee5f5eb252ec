using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetExt.Core.Pipelines;

/// <summary>
/// Base of MlNetExt's fitted models: everything that scores is a chain of standard ML.NET transformers, and this
/// class forwards <see cref="ITransformer"/> and saving to that chain. <c>mlContext.Model.Save</c> therefore writes
/// only standard transformers, and <c>mlContext.Model.Load</c> gives back a
/// <see cref="TransformerChain{TLastTransformer}"/> that scores identically with plain Microsoft.ML +
/// Microsoft.ML.OnnxTransformer. The derived class adds read-only facts about training (never saved state).
/// Thread-safety is that of the chain. Disposing the model releases its ONNX Runtime sessions and deletes its temporary
/// model files at once (otherwise that happens when the garbage collector collects it, or when the process exits).
/// </summary>
/// <remarks>Being replaced by <see cref="Models.OnnxModelTransformer"/>, which adds the training history, named ONNX
/// models and restoring by <c>mlContext.DeepLearning().Model.Load</c>; it goes once no model derives from it.</remarks>
public abstract class ChainForwardingTransformer : ITransformer, IDisposable
{
    /// <summary>Wraps <paramref name="chain"/>.</summary>
    /// <param name="chain">The standard transformers that score.</param>
    protected ChainForwardingTransformer(TransformerChain<ITransformer> chain)
    {
        ScoringChain = chain ?? throw new ArgumentNullException(nameof(chain));
    }

    /// <summary>The standard ML.NET transformers that score (what is saved).</summary>
    protected TransformerChain<ITransformer> ScoringChain { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => ((ITransformer)ScoringChain).IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => ScoringChain.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)ScoringChain).GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => ScoringChain.Transform(input);

    /// <summary>Saves the scoring chain (it loads back as a <see cref="TransformerChain{TLastTransformer}"/>).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)ScoringChain).Save(ctx);

    /// <summary>Releases the ONNX Runtime sessions and deletes the temporary model files; the model cannot score or be saved afterwards.</summary>
    public void Dispose()
    {
        OnnxTransformerFactory.Release(ScoringChain);
        GC.SuppressFinalize(this);
    }
}
