using Microsoft.ML;

namespace MlNetExt.Core.Models.Scoring;

/// <summary>
/// The scored data of one ONNX transformer, computed in batches: a cursor reads <c>batchSize</c> rows of the ONNX inputs
/// from the upstream data, runs the session once on them, and serves the rows in order. Columns passed through from the
/// upstream data come from a second upstream cursor that moves in step (IDataView cursors without shuffling give the same
/// rows in the same order), so upstream values are never copied or held beyond their row. Cursor sets split the upstream
/// rows among cursors that batch independently when no pass-through column is requested; otherwise one cursor serves all.
/// Shuffling is not offered (<see cref="CanShuffle"/> is false): ML.NET consumers then shuffle through their own pool.
/// </summary>
internal sealed class BatchedOnnxDataView : IDataView
{
    private readonly IDataView _input;

    public BatchedOnnxDataView(IDataView input, BatchedOnnxBinding binding, int batchSize)
    {
        _input = input;
        Binding = binding;
        BatchSize = batchSize;
    }

    public BatchedOnnxBinding Binding { get; }

    public int BatchSize { get; }

    public bool CanShuffle => false;

    public DataViewSchema Schema => Binding.OutputSchema;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (outputs, passThrough) = Split(columnsNeeded);
        var scoring = outputs.Count > 0 ? _input.GetRowCursor(Binding.Inputs.Select(i => i.Column)) : null;
        var follower = passThrough.Count > 0 || scoring is null ? _input.GetRowCursor(passThrough) : null;
        return new BatchedOnnxCursor(this, scoring, follower, outputs);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var (outputs, passThrough) = Split(columnsNeeded);
        if (n > 1 && outputs.Count == 0)
            return _input.GetRowCursorSet(passThrough, n).Select(c => (DataViewRowCursor)new BatchedOnnxCursor(this, null, c, outputs)).ToArray();
        if (n > 1 && passThrough.Count == 0)
        {
            return _input.GetRowCursorSet(Binding.Inputs.Select(i => i.Column), n)
                .Select(c => (DataViewRowCursor)new BatchedOnnxCursor(this, c, null, outputs)).ToArray();
        }
        return [GetRowCursor(columnsNeeded, rand)];
    }

    private (List<BatchOutput> Outputs, List<DataViewSchema.Column> PassThrough) Split(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var outputs = new List<BatchOutput>();
        var passThrough = new List<DataViewSchema.Column>();
        foreach (int index in columnsNeeded.Select(c => c.Index).Distinct())
        {
            if (Binding.OutputsByColumn[index] is { } output)
                outputs.Add(output);
            else
                passThrough.Add(Binding.InputSchema[index]);
        }
        return (outputs, passThrough);
    }
}
