using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt;
using MlNetExt.Core.Models;

namespace ScoringService;

/// <summary>
/// A saved MlNetExt model with a vector <c>Features</c> input and a vector <c>Score</c> output, as served: single rows go
/// through a pool of PredictionEngines (one engine is not thread-safe; the pool hands each request its own), batches
/// through the model's batched <see cref="OnnxModelTransformer.Transform"/> (safe from several threads at once).
/// </summary>
public sealed class ServedModel : IDisposable
{
    public const string InputColumn = "Features";
    public const string OutputColumn = "Score";

    private readonly MLContext _context;
    private readonly ObjectPool<PredictionEngine<FeatureRow, ScoreRow>> _engines;
    private readonly SchemaDefinition _inputDefinition;

    public ServedModel(string path, int maxBatchRows)
    {
        _context = new MLContext(1);
        var loaded = _context.DeepLearning().Model.Load(path, out var schema);
        Model = loaded as OnnxModelTransformer
            ?? throw new InvalidOperationException($"'{path}' holds no MlNetExt model at its top level; this service serves one model.");
        InputWidth = schema.GetColumnOrNull(InputColumn)?.Type is VectorDataViewType { IsKnownSize: true, ItemType: var item } input
            && item == NumberDataViewType.Single
            ? input.Size
            : throw new InvalidOperationException($"The model's input column '{InputColumn}' must be a known-size Single vector.");
        var output = Model.GetOutputSchema(schema).GetColumnOrNull(OutputColumn)?.Type as VectorDataViewType
            ?? throw new InvalidOperationException($"The model's output column '{OutputColumn}' must be a vector.");
        OutputWidth = output.Size;
        MaxBatchRows = maxBatchRows;
        _inputDefinition = SchemaDefinition.Create(typeof(FeatureRow));
        _inputDefinition[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, InputWidth);
        var outputDefinition = SchemaDefinition.Create(typeof(ScoreRow));
        outputDefinition[nameof(ScoreRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, OutputWidth);
        _engines = new DefaultObjectPool<PredictionEngine<FeatureRow, ScoreRow>>(
            new EnginePolicy(() => _context.Model.CreatePredictionEngine<FeatureRow, ScoreRow>(Model, ignoreMissingColumns: true, inputSchemaDefinition: _inputDefinition, outputSchemaDefinition: outputDefinition)),
            Environment.ProcessorCount * 4);
    }

    /// <summary>The typed model (batched Transform).</summary>
    public OnnxModelTransformer Model { get; }

    public int InputWidth { get; }

    public int OutputWidth { get; }

    public int MaxBatchRows { get; }

    /// <summary>Scores one row with a pooled PredictionEngine.</summary>
    public float[] ScoreOne(float[] features)
    {
        var engine = _engines.Get();
        try
        {
            return engine.Predict(new FeatureRow { Features = features }).Score;
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    /// <summary>Scores rows in batches through the model's Transform; rows come back in order.</summary>
    public float[][] ScoreMany(IReadOnlyList<float[]> rows)
    {
        // A context per call: data views are built from the request's rows; the model's sessions are shared.
        var data = new MLContext(1).Data.LoadFromEnumerable(rows.Select(r => new FeatureRow { Features = r }), _inputDefinition);
        return Model.Transform(data).GetColumn<VBuffer<float>>(OutputColumn).Select(v => v.DenseValues().ToArray()).ToArray();
    }

    /// <summary>Null when <paramref name="features"/> fits the model, else what is wrong (row number when given).</summary>
    public string? Check(float[]? features, int? row = null)
    {
        string where = row is int r ? $"row {r}: " : "";
        if (features is null)
            return $"{where}'features' is missing; send an array of {InputWidth} numbers.";
        if (features.Length != InputWidth)
            return $"{where}'features' has {features.Length} values; the model takes {InputWidth}.";
        int bad = Array.FindIndex(features, f => !float.IsFinite(f));
        return bad < 0 ? null : $"{where}'features'[{bad}] is not a finite number.";
    }

    public void Dispose() => Model.Dispose();

    public sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }

    private sealed class EnginePolicy(Func<PredictionEngine<FeatureRow, ScoreRow>> create) : IPooledObjectPolicy<PredictionEngine<FeatureRow, ScoreRow>>
    {
        public PredictionEngine<FeatureRow, ScoreRow> Create() => create();

        // Engines are never disposed while the service runs, not even one the pool drops when it is full: disposing
        // one PredictionEngine while another engine of the same model predicts crashes the process (ML.NET's hazard,
        // docs/reliability.md). They go with the model when the application has stopped.
        public bool Return(PredictionEngine<FeatureRow, ScoreRow> engine) => true;
    }
}
