using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.IO;
using MlNetExt.Core.Models.Scoring;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using MlNetExt.Core.Training;

namespace MlNetExt.Core.Models;

/// <summary>
/// The base of every fitted MlNetExt model. Scoring is done by <see cref="Model"/>, a chain of standard ML.NET
/// transformers around the exported ONNX network; this class forwards <see cref="ITransformer"/> and saving to that
/// chain, so <c>mlContext.Model.Save</c> writes only standard transformers and plain <c>mlContext.Model.Load</c> gives
/// back a chain that scores identically with Microsoft.ML + Microsoft.ML.OnnxTransformer.
/// <c>mlContext.DeepLearning().Model.Load</c> gives back the typed model, with its <see cref="History"/> and extras, read
/// from the ONNX metadata.
/// </summary>
/// <remarks>
/// <para><see cref="Transform"/> scores in batches of <see cref="ScoringBatchSize"/> rows through ONNX Runtime (the ONNX
/// transformers of <see cref="Model"/> are run by the model's own sessions over the same graphs; the other transformers of
/// the chain are applied as they are). <c>PredictionEngine</c> and <see cref="GetRowToRowMapper"/> score one row at a time
/// through the chain, as plain ML.NET does. Both honour <see cref="MLContext.GpuDeviceId"/> and
/// <see cref="MLContext.FallbackToCpu"/> (docs/scoring.md).</para>
/// <para>Thread-safety: reading members, <see cref="Transform"/> and cursoring the data views it returns are safe from
/// several threads at once (ONNX Runtime sessions are); each cursor is used by one thread, as in ML.NET. Setting
/// <see cref="ScoringBatchSize"/> affects later <see cref="Transform"/> calls only. Disposing the model releases its ONNX
/// Runtime sessions and deletes its temporary model files at once (otherwise that happens when the garbage collector
/// collects it, or when the process exits): do it after the last cursor over its results is done.</para>
/// </remarks>
public abstract class OnnxModelTransformer : ITransformer, IDisposable
{
    /// <summary>The name of the primary model in <see cref="OnnxModelNames"/> for models with one exported network.</summary>
    public const string DefaultOnnxModelName = "model";

    private readonly byte[] _onnxModel;
    private readonly IReadOnlyDictionary<string, byte[]> _variants;
    private readonly Lazy<IReadOnlyDictionary<string, string>> _metadata;
    private readonly ConcurrentDictionary<ITransformer, OnnxBatchScorer> _scorers = new(ReferenceEqualityComparer.Instance);
    private volatile int _scoringBatchSize = DefaultScoringBatchSize;
    private volatile bool _disposed;

    /// <summary>The default of <see cref="ScoringBatchSize"/>: rows per ONNX Runtime call in <see cref="Transform"/>
    /// (chosen by measurement, docs/scoring.md).</summary>
    public const int DefaultScoringBatchSize = 64;

    /// <summary>Wraps a fitted (or restored) model.</summary>
    /// <param name="model">The standard transformers that score (what is saved).</param>
    /// <param name="onnxModel">The primary exported model (<see cref="GetOnnxModel()"/>); not copied.</param>
    /// <param name="history">The training history.</param>
    /// <param name="namedOnnxModels">Named variants (for example one per view); null: the primary alone, named
    /// <see cref="DefaultOnnxModelName"/>. Not copied.</param>
    protected OnnxModelTransformer(TransformerChain<ITransformer> model, byte[] onnxModel, TrainingHistory history,
        IReadOnlyDictionary<string, byte[]>? namedOnnxModels = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _onnxModel = onnxModel ?? throw new ArgumentNullException(nameof(onnxModel));
        History = history ?? throw new ArgumentNullException(nameof(history));
        if (onnxModel.Length == 0)
            throw new ArgumentException("The ONNX model is empty.", nameof(onnxModel));
        _variants = namedOnnxModels is null
            ? new Dictionary<string, byte[]>(StringComparer.Ordinal) { [DefaultOnnxModelName] = onnxModel }
            : new Dictionary<string, byte[]>(namedOnnxModels, StringComparer.Ordinal);
        if (_variants.Count == 0)
            throw new ArgumentException("At least one named ONNX model is needed.", nameof(namedOnnxModels));
        OnnxModelNames = _variants.Keys.ToArray();
        _metadata = new Lazy<IReadOnlyDictionary<string, string>>(
            () => OnnxModelMetadata.Read(OnnxModelReader.Parse(_onnxModel)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The standard ML.NET transformers that score (what is saved).</summary>
    public TransformerChain<ITransformer> Model { get; }

    /// <summary>The training history: every epoch of every stage (empty for closed-form models).</summary>
    public TrainingHistory History { get; }

    /// <summary>The names <see cref="GetOnnxModel(string)"/> accepts (["model"] for models with one network).</summary>
    public IReadOnlyList<string> OnnxModelNames { get; }

    /// <summary>The primary model's MlNetExt metadata (the <c>mlnetext.*</c> keys; see docs/onnx-metadata.md).</summary>
    public IReadOnlyDictionary<string, string> OnnxMetadata => _metadata.Value;

    /// <summary>A copy of the primary exported ONNX model.</summary>
    public byte[] GetOnnxModel() => (byte[])_onnxModel.Clone();

    /// <summary>A copy of the exported ONNX model named <paramref name="name"/>.</summary>
    /// <param name="name">One of <see cref="OnnxModelNames"/>.</param>
    /// <exception cref="ArgumentException">The model has no ONNX model of that name; the message lists the names.</exception>
    public byte[] GetOnnxModel(string name) => (byte[])Variant(name).Clone();

    /// <summary>Writes the primary ONNX model to <paramref name="path"/> (through a temporary file and a rename).</summary>
    /// <param name="path">Destination file.</param>
    public void ExportToOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, _onnxModel);
    }

    /// <summary>Writes the ONNX model named <paramref name="name"/> to <paramref name="path"/> (through a temporary file and a rename).</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="name">One of <see cref="OnnxModelNames"/>.</param>
    /// <exception cref="ArgumentException">The model has no ONNX model of that name; the message lists the names.</exception>
    public void ExportToOnnx(string path, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, Variant(name));
    }

    /// <inheritdoc />
    public bool IsRowToRowMapper => ((ITransformer)Model).IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Model.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)Model).GetRowToRowMapper(inputSchema);

    /// <summary>
    /// Rows per ONNX Runtime call when <see cref="Transform"/> scores (default <see cref="DefaultScoringBatchSize"/>).
    /// Larger batches raise throughput until the CPU's caches (or the GPU's memory) are full; each cursor holds one batch of
    /// inputs and outputs. Applies to <see cref="Transform"/> calls made after it is set; not saved with the model.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int ScoringBatchSize
    {
        get => _scoringBatchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _scoringBatchSize = value;
        }
    }

    /// <summary>
    /// Scores <paramref name="input"/> (lazily, like every ML.NET transformer), in batches of <see cref="ScoringBatchSize"/>
    /// rows: every ONNX transformer of <see cref="Model"/> is run by an ONNX Runtime session of this model over its graph,
    /// reading its input columns in batches and serving rows in order; the chain's other transformers (post-processing such
    /// as key mapping) are applied as they are. The result has the same schema and values as <c>Model.Transform</c>. The
    /// one place where scoring happens.
    /// </summary>
    /// <param name="input">Data with the columns the model was trained on.</param>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public virtual IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ScoreInBatches(Model, input, ScoringBatchSize);
    }

    /// <summary>Saves the scoring chain: it loads back with plain ML.NET as a chain, and with
    /// <c>mlContext.DeepLearning().Model.Load</c> as this typed model.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)Model).Save(ctx);

    /// <summary>Releases the ONNX Runtime sessions and deletes the temporary model files; the model cannot score or be
    /// saved afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var scorer in _scorers.Values)
            scorer.Dispose();
        _scorers.Clear();
        OnnxTransformerFactory.Release(Model);
        GC.SuppressFinalize(this);
    }

    /// <summary>Applies <paramref name="chain"/> to <paramref name="data"/>, ONNX transformers with a known graph in batches.</summary>
    private IDataView ScoreInBatches(TransformerChain<ITransformer> chain, IDataView data, int batchSize)
    {
        foreach (var part in chain)
        {
            if (part is TransformerChain<ITransformer> inner)
                data = ScoreInBatches(inner, data, batchSize);
            else if (OnnxScoringGraphs.TryGet(part, out var graph)
                     && BatchedOnnxBinding.TryCreate(_scorers.GetOrAdd(part, _ => new OnnxBatchScorer(graph)), part, data.Schema) is { } binding)
                data = new BatchedOnnxDataView(data, binding, batchSize);
            else
                data = part.Transform(data);
        }
        return data;
    }

    private byte[] Variant(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _variants.TryGetValue(name, out var bytes)
            ? bytes
            : throw new ArgumentException(
                $"This model has no ONNX model named '{name}'; it has {string.Join(", ", OnnxModelNames.Select(n => $"'{n}'"))}.", nameof(name));
    }
}
