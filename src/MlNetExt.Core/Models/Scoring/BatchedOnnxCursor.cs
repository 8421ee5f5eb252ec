using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace MlNetExt.Core.Models.Scoring;

/// <summary>
/// A cursor of <see cref="BatchedOnnxDataView"/>: <c>scoring</c> (upstream, ONNX input columns only) runs ahead by up to one
/// batch; <c>follower</c> (upstream, the requested pass-through columns) moves one row per <see cref="MoveNext"/>. Either
/// may be absent (no output requested, or no pass-through column requested).
/// </summary>
internal sealed class BatchedOnnxCursor : DataViewRowCursor
{
    private readonly BatchedOnnxDataView _view;
    private readonly DataViewRowCursor? _scoring;
    private readonly DataViewRowCursor? _follower;
    private readonly BatchInputReader[] _inputs;
    private readonly string[] _inputNames;
    private readonly BatchOutputReader[] _outputs;
    private readonly string[] _outputNames;
    private readonly BatchOutputReader?[] _outputByColumn;
    private readonly bool[] _active;
    private readonly DataViewRowId[] _ids;
    private readonly long[] _batches;
    private readonly ValueGetter<DataViewRowId>? _scoringId;
    private readonly RunOptions? _runOptions;
    private int _rowsInBatch;
    private long _position = -1;
    private bool _disposed;

    public BatchedOnnxCursor(BatchedOnnxDataView view, DataViewRowCursor? scoring, DataViewRowCursor? follower, IReadOnlyList<BatchOutput> outputs)
    {
        _view = view;
        _scoring = scoring;
        _follower = follower;
        var binding = view.Binding;
        _active = new bool[binding.OutputSchema.Count];
        _outputByColumn = new BatchOutputReader?[binding.OutputSchema.Count];
        if (follower is not null)
        {
            for (int i = 0; i < binding.InputSchema.Count; i++)
                _active[i] = follower.IsColumnActive(follower.Schema[i]);
        }
        _outputs = new BatchOutputReader[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            _outputs[i] = outputs[i].CreateReader(this);
            _outputByColumn[outputs[i].Column.Index] = _outputs[i];
            _active[outputs[i].Column.Index] = true;
        }
        _outputNames = outputs.Select(o => o.OnnxName).ToArray();
        if (scoring is not null)
        {
            _inputs = binding.Inputs.Select(i => i.CreateReader(scoring, view.BatchSize)).ToArray();
            _inputNames = binding.Inputs.Select(i => i.OnnxName).ToArray();
            _ids = new DataViewRowId[view.BatchSize];
            _batches = new long[view.BatchSize];
            _scoringId = scoring.GetIdGetter();
            _runOptions = new RunOptions();
        }
        else
        {
            _inputs = [];
            _inputNames = [];
            _ids = [];
            _batches = [];
        }
    }

    /// <summary>The current row's index within the current batch.</summary>
    public int RowInBatch { get; private set; } = -1;

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    /// <summary>The upstream cursor's batch for the current row (ML.NET's consolidating cursors order rows of a cursor set
    /// by it).</summary>
    public override long Batch => _follower?.Batch ?? (RowInBatch >= 0 ? _batches[RowInBatch] : 0);

    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    public override bool MoveNext()
    {
        if (_disposed)
            return false;
        if (_scoring is not null)
        {
            if (RowInBatch + 1 < _rowsInBatch)
            {
                RowInBatch++;
            }
            else
            {
                if (!ScoreNextBatch())
                    return false;
                RowInBatch = 0;
            }
            if (_follower is not null && !_follower.MoveNext())
                throw new InvalidOperationException(
                    "The input data gave two cursors different rows: batched scoring needs an IDataView whose unshuffled cursors all "
                    + "give the same rows in the same order (the IDataView contract).");
        }
        else if (!_follower!.MoveNext())
        {
            return false;
        }
        _position++;
        return true;
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_active[column.Index])
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
        if (_outputByColumn[column.Index] is { } output)
        {
            return output.Getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}; it was read as {typeof(TValue).Name}.");
        }
        return _follower!.GetGetter<TValue>(_follower.Schema[column.Index]);
    }

    public override ValueGetter<DataViewRowId> GetIdGetter()
    {
        if (_follower is not null)
            return _follower.GetIdGetter();
        return (ref DataViewRowId value) => value = _ids[RowInBatch];
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        _disposed = true;
        if (disposing)
        {
            _runOptions?.Dispose();
            _scoring?.Dispose();
            _follower?.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Reads up to one batch of ONNX inputs and runs the session on it; false when the upstream data are exhausted.</summary>
    private bool ScoreNextBatch()
    {
        var scoring = _scoring!;
        int rows = 0;
        while (rows < _ids.Length && scoring.MoveNext())
        {
            foreach (var input in _inputs)
                input.Read(rows);
            _scoringId!(ref _ids[rows]);
            _batches[rows] = scoring.Batch;
            rows++;
        }
        if (rows == 0)
            return false;

        var values = new OrtValue[_inputs.Length];
        try
        {
            for (int i = 0; i < _inputs.Length; i++)
                values[i] = _inputs[i].ToOrtValue(rows);
            using var results = _view.Binding.Scorer.Session.Run(_runOptions!, _inputNames, values, _outputNames);
            for (int i = 0; i < _outputs.Length; i++)
                _outputs[i].SetBatch(results[i], rows);
        }
        finally
        {
            foreach (var value in values)
                value?.Dispose();
        }
        _rowsInBatch = rows;
        return true;
    }
}
