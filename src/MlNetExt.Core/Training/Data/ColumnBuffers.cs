using TorchSharp;

namespace MlNetExt.Core.Training;

/// <summary>Row-major managed storage for a fixed number of rows of the source's columns.</summary>
internal sealed class ColumnBuffers
{
    private readonly IReadOnlyList<TensorColumnLayout> _layouts;
    private readonly float[][] _floats;
    private readonly long[][] _keys;

    public ColumnBuffers(IReadOnlyList<TensorColumnLayout> layouts, int capacity)
    {
        _layouts = layouts;
        Capacity = capacity;
        _floats = new float[layouts.Count][];
        _keys = new long[layouts.Count][];
        for (var c = 0; c < layouts.Count; c++)
        {
            if (layouts[c].IsKey)
                _keys[c] = new long[capacity];
            else
                _floats[c] = new float[checked((long)capacity * layouts[c].Width)];
        }
    }

    public int Capacity { get; private set; }

    /// <summary>Reads the cursor's current row into row <paramref name="row"/>.</summary>
    public void Read(IReadOnlyList<ColumnValueReader> readers, int row)
    {
        for (var c = 0; c < _layouts.Count; c++)
        {
            if (_layouts[c].IsKey)
                _keys[c][row] = readers[c].ReadKeyIndex();
            else
            {
                var width = _layouts[c].Width;
                readers[c].ReadFloats(_floats[c].AsSpan(row * width, width));
            }
        }
    }

    /// <summary>Copies row <paramref name="row"/> to row <paramref name="targetRow"/> of <paramref name="target"/>.</summary>
    public void CopyRow(int row, ColumnBuffers target, int targetRow)
    {
        for (var c = 0; c < _layouts.Count; c++)
        {
            if (_layouts[c].IsKey)
                target._keys[c][targetRow] = _keys[c][row];
            else
            {
                var width = _layouts[c].Width;
                _floats[c].AsSpan(row * width, width).CopyTo(target._floats[c].AsSpan(targetRow * width, width));
            }
        }
    }

    /// <summary>Resizes every column to <paramref name="capacity"/> rows, keeping the rows that fit.</summary>
    public void Resize(int capacity)
    {
        for (var c = 0; c < _layouts.Count; c++)
        {
            if (_layouts[c].IsKey)
                Array.Resize(ref _keys[c], capacity);
            else
                Array.Resize(ref _floats[c], checked(capacity * _layouts[c].Width));
        }
        Capacity = capacity;
    }

    /// <summary>Copies the first <paramref name="count"/> rows into new tensors on <paramref name="device"/>, not owned by any dispose scope.</summary>
    public Dictionary<string, torch.Tensor> ToTensors(int count, torch.Device? device)
    {
        var result = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        using var scope = torch.NewDisposeScope();
        for (var c = 0; c < _layouts.Count; c++)
        {
            var layout = _layouts[c];
            var tensor = layout.IsKey
                ? torch.tensor(_keys[c], [count])
                : torch.tensor(_floats[c], [count, layout.Width]);
            if (device is not null && device.type != DeviceType.CPU)
                tensor = tensor.to(device);
            result[layout.Name] = tensor.DetachFromDisposeScope();
        }
        return result;
    }
}
