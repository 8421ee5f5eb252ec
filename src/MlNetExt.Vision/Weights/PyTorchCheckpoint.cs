using System.IO.Compression;
using System.Numerics;
using TorchSharp;
using static MlNetExt.Vision.Weights.RestrictedUnpickler;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Weights;

/// <summary>
/// Reads the tensors of a PyTorch state dict saved with <c>torch.save</c> (<c>.pth</c>, <c>.pt</c>, <c>.bin</c>,
/// <c>.ckpt</c>): the zip format (PyTorch 1.6 and later: <c>&lt;name&gt;/data.pkl</c> plus one file per storage) and the
/// legacy format (consecutive pickles followed by the raw storages), for example torchvision's own weight files and
/// Hugging Face <c>pytorch_model.bin</c>.
/// </summary>
/// <remarks>
/// The pickle is read by a restricted reader that understands only what a state dict contains: tensors (through
/// <c>torch._utils._rebuild_tensor_v2</c> and the <c>torch.*Storage</c> types), <c>collections.OrderedDict</c>,
/// numbers, strings, lists, tuples and dicts. Any other Python global — <c>os.system</c>, <c>builtins.eval</c>, a
/// model class — makes the read fail with <see cref="InvalidDataException"/> before anything is built; nothing in the
/// file is ever executed. Tensors that share a storage stay views of one buffer, so memory never exceeds the size of the
/// storages in the file. A checkpoint dict whose weights sit under <c>state_dict</c>, <c>model_state_dict</c> or
/// <c>model</c> is unwrapped.
/// </remarks>
public static class PyTorchCheckpoint
{
    private const long MaxPickleBytes = 100L << 20;
    private static readonly BigInteger LegacyMagic = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string[] WrapperKeys = { "state_dict", "model_state_dict", "model" };

    /// <summary>Reads every tensor of the state dict in <paramref name="path"/>, in the file's order.</summary>
    /// <exception cref="InvalidDataException">The file is not a plain state dict (another Python object, a refused global, corrupt or truncated data); the message names the file and, where known, the tensor.</exception>
    /// <exception cref="NotSupportedException">A tensor has a dtype TorchSharp cannot hold, or the file is big-endian.</exception>
    public static WeightSet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return IsZip(stream) ? LoadZip(stream, path) : LoadLegacy(stream, path);
    }

    /// <summary>Whether <paramref name="archive"/> is a <c>torch.save</c> zip (it has exactly one <c>[&lt;name&gt;/]data.pkl</c>).</summary>
    internal static bool IsTorchZip(ZipArchive archive) => archive.Entries.Count(IsDataPickle) == 1;

    private static bool IsDataPickle(ZipArchiveEntry entry) =>
        entry.FullName == "data.pkl" || (entry.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && entry.FullName.IndexOf('/') == entry.FullName.Length - 9);

    private static bool IsZip(Stream stream)
    {
        Span<byte> head = stackalloc byte[4];
        int read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        return read == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    private static WeightSet LoadZip(Stream stream, string path)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"'{path}' starts like a zip archive but is not a readable one ({ex.Message}).", ex);
        }

        using (archive)
        {
            var pickles = archive.Entries.Where(IsDataPickle).ToList();
            if (pickles.Count != 1)
            {
                throw new InvalidDataException(
                    $"'{path}' is a zip archive but not a torch.save checkpoint: it has {pickles.Count} '<name>/data.pkl' entries, expected one.");
            }

            var dataPickle = pickles[0];
            string prefix = dataPickle.FullName[..^"data.pkl".Length];
            var byteOrder = archive.GetEntry(prefix + "byteorder");
            if (byteOrder is not null)
            {
                using var reader = new StreamReader(byteOrder.Open());
                string order = reader.ReadToEnd().Trim();
                if (order != "little")
                {
                    throw new NotSupportedException($"'{path}' was saved on a {order}-endian machine; only little-endian checkpoints are read.");
                }
            }

            if (dataPickle.Length > MaxPickleBytes)
            {
                throw new InvalidDataException($"'{path}': its data.pkl has {dataPickle.Length} bytes, more than a state dict's pickle ({MaxPickleBytes}).");
            }

            var storages = new Dictionary<string, StorageRef>(StringComparer.Ordinal);
            object? root;
            using (var pickle = new MemoryStream(ReadEntry(dataPickle, path)))
            {
                root = new RestrictedUnpickler(pickle, path, pid => Storage(pid, path, storages, legacy: false)).Load();
            }

            var state = StateDict(root, path);
            var buffers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            try
            {
                foreach (var (name, tensor) in state)
                {
                    var storage = tensor.Storage;
                    if (buffers.ContainsKey(storage.Key))
                    {
                        continue;
                    }

                    var (type, bytes) = Layout(storage, path, name);
                    var entry = archive.GetEntry(prefix + "data/" + storage.Key)
                        ?? throw new InvalidDataException($"'{path}': tensor '{name}' refers to storage '{storage.Key}', which the archive does not contain.");
                    if (entry.Length != bytes)
                    {
                        throw new InvalidDataException(
                            $"'{path}': storage '{storage.Key}' of tensor '{name}' holds {entry.Length} bytes, but its {storage.Elements} elements need {bytes}.");
                    }

                    if (entry.CompressedLength != entry.Length)
                    {
                        // torch.save stores tensors uncompressed; a compressed entry could expand far beyond the file's size.
                        throw new InvalidDataException($"'{path}': storage '{storage.Key}' of tensor '{name}' is compressed, which torch.save never does.");
                    }

                    var buffer = Allocate(storage, type, bytes, path, name);
                    buffers[storage.Key] = buffer;
                    if (bytes > 0)
                    {
                        using var data = entry.Open();
                        ReadExactly(data, buffer, path, name);
                    }
                }

                return Views(state, buffers, path);
            }
            finally
            {
                foreach (var buffer in buffers.Values)
                {
                    buffer.Dispose();
                }
            }
        }
    }

    private static WeightSet LoadLegacy(Stream stream, string path)
    {
        var storages = new Dictionary<string, StorageRef>(StringComparer.Ordinal);
        object? Next(bool persistent) => new RestrictedUnpickler(stream, path,
            pid => persistent ? Storage(pid, path, storages, legacy: true) : throw new InvalidDataException($"'{path}': unexpected persistent id.")).Load();

        object? magic;
        try
        {
            magic = Next(persistent: false);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"'{path}' is neither a torch.save zip nor a legacy torch.save file ({ex.Message})", ex);
        }

        if (magic is not BigInteger number || number != LegacyMagic)
        {
            throw new InvalidDataException($"'{path}' is neither a torch.save zip nor a legacy torch.save file (its first pickle is not torch's magic number).");
        }

        if (Next(persistent: false) is not long protocol || protocol != 1001)
        {
            throw new InvalidDataException($"'{path}' has a legacy torch.save protocol other than 1001.");
        }

        if (Next(persistent: false) is PickleDict info && info.TryGet("little_endian", out var little) && little is false)
        {
            throw new NotSupportedException($"'{path}' was saved on a big-endian machine; only little-endian checkpoints are read.");
        }

        var state = StateDict(Next(persistent: true), path);
        if (Next(persistent: false) is not PickleList keys || keys.Any(k => k is not string))
        {
            throw new InvalidDataException($"'{path}': the list of storage keys after the state dict is missing or malformed.");
        }

        var users = state.GroupBy(t => t.Tensor.Storage.Key).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var buffers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            Span<byte> count = stackalloc byte[8];
            foreach (string key in keys.Cast<string>())
            {
                if (!storages.TryGetValue(key, out var storage) || buffers.ContainsKey(key))
                {
                    throw new InvalidDataException($"'{path}': storage key '{key}' is unknown or listed twice.");
                }

                string name = users.GetValueOrDefault(key, key);
                var (type, bytes) = Layout(storage, path, name);
                try
                {
                    stream.ReadExactly(count);
                }
                catch (EndOfStreamException ex)
                {
                    throw new InvalidDataException($"'{path}' is truncated (storage of tensor '{name}').", ex);
                }

                long stored = BitConverter.ToInt64(count);
                if (stored != storage.Elements || bytes > stream.Length - stream.Position)
                {
                    throw new InvalidDataException(
                        $"'{path}': storage of tensor '{name}' has {stored} elements in the file, {storage.Elements} in the pickle, or runs past the end.");
                }

                var buffer = Allocate(storage, type, bytes, path, name);
                buffers[key] = buffer;
                if (bytes > 0)
                {
                    ReadExactly(stream, buffer, path, name);
                }
            }

            var missing = users.Keys.FirstOrDefault(k => !buffers.ContainsKey(k));
            if (missing is not null)
            {
                throw new InvalidDataException($"'{path}': the data of tensor '{users[missing]}' (storage '{missing}') is missing.");
            }

            return Views(state, buffers, path);
        }
        finally
        {
            foreach (var buffer in buffers.Values)
            {
                buffer.Dispose();
            }
        }
    }

    /// <summary>Validates a persistent id <c>('storage', torch.XStorage, key, location, numel[, view_metadata])</c>.</summary>
    private static StorageRef Storage(object? pid, string path, Dictionary<string, StorageRef> storages, bool legacy)
    {
        if (pid is object?[] { Length: >= 5 } id && id[0] is "module")
        {
            throw new InvalidDataException($"'{path}' holds a whole pickled module, not a state dict; save model.state_dict() instead.");
        }

        if (pid is not object?[] { Length: 5 or 6 } t || t[0] is not "storage" || t[1] is not PickleGlobal type || t[2] is not string key
            || t[4] is not long elements || elements < 0 || (legacy ? t.Length != 6 : t.Length != 5)
            || key.Length is 0 or > 64 || !key.All(char.IsAsciiLetterOrDigit))
        {
            throw new InvalidDataException($"'{path}' has a persistent id that is not a tensor storage.");
        }

        if (legacy && t[5] is not null)
        {
            throw new NotSupportedException($"'{path}' uses legacy storage views (storage '{key}'), which are not read; re-save it with a current PyTorch.");
        }

        var storage = new StorageRef(type.Name, key, elements);
        if (storages.TryGetValue(key, out var known) && known != storage)
        {
            throw new InvalidDataException($"'{path}': storage '{key}' is described twice with different types or sizes.");
        }

        storages[key] = storage;
        return storage;
    }

    /// <summary>The tensors of the state dict (unwrapping a checkpoint dict), in file order.</summary>
    private static List<(string Name, TensorRef Tensor)> StateDict(object? root, string path)
    {
        if (root is not PickleDict dict)
        {
            throw new InvalidDataException($"'{path}' holds a Python {(root is null ? "None" : root is PickleList ? "list" : root is object?[] ? "tuple" : "value")}, not a state dict.");
        }

        if (!dict.Items.All(kv => kv.Value is TensorRef))
        {
            foreach (var key in WrapperKeys)
            {
                if (dict.TryGet(key, out var inner) && inner is PickleDict innerDict && innerDict.Items.Count > 0 && innerDict.Items.All(kv => kv.Value is TensorRef))
                {
                    dict = innerDict;
                    break;
                }
            }
        }

        var tensors = new List<(string, TensorRef)>();
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name || value is not TensorRef tensor)
            {
                throw new InvalidDataException(
                    $"'{path}' is not a state dict: entry '{key}' is not a named tensor, and no '{string.Join("', '", WrapperKeys)}' entry holds one. "
                    + $"Top-level keys: {string.Join(", ", dict.Items.Take(20).Select(kv => kv.Key))}.");
            }

            tensors.Add((name, tensor));
        }

        return tensors;
    }

    /// <summary>The whole (small) entry, never more than <see cref="MaxPickleBytes"/> whatever its header claims.</summary>
    private static byte[] ReadEntry(ZipArchiveEntry entry, string path)
    {
        using var source = entry.Open();
        using var copy = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
            if (copy.Length > MaxPickleBytes)
            {
                throw new InvalidDataException($"'{path}': its data.pkl expands beyond {MaxPickleBytes} bytes.");
            }
        }

        return copy.ToArray();
    }

    /// <summary>The dtype and byte size of a storage, with overflow checks.</summary>
    private static (ScalarType Type, long Bytes) Layout(StorageRef storage, string path, string tensor)
    {
        ScalarType? type = storage.StorageType switch
        {
            "FloatStorage" => ScalarType.Float32,
            "DoubleStorage" => ScalarType.Float64,
            "HalfStorage" => ScalarType.Float16,
            "BFloat16Storage" => ScalarType.BFloat16,
            "LongStorage" => ScalarType.Int64,
            "IntStorage" => ScalarType.Int32,
            "ShortStorage" => ScalarType.Int16,
            "CharStorage" => ScalarType.Int8,
            "ByteStorage" => ScalarType.Byte,
            "BoolStorage" => ScalarType.Bool,
            _ => null,
        };
        if (type is null || !SafeTensorsDType.TryElementSize(type.Value, out int size))
        {
            throw new InvalidDataException($"'{path}': tensor '{tensor}' is stored as torch.{storage.StorageType}, a dtype MlNetExt does not read.");
        }

        return (type.Value, SafeTensors.ByteSize(new[] { storage.Elements }, size, path, tensor));
    }

    /// <summary>A CPU buffer for a storage whose size has been checked against the file.</summary>
    private static Tensor Allocate(StorageRef storage, ScalarType type, long bytes, string path, string tensor) =>
        bytes <= int.MaxValue ? torch.empty(storage.Elements, type)
            : throw new NotSupportedException($"'{path}': tensor '{tensor}' has a storage of {bytes} bytes; storages over 2 GiB are not read.");

    private static void ReadExactly(Stream stream, Tensor buffer, string path, string tensor)
    {
        try
        {
            stream.ReadExactly(buffer.bytes);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"'{path}' is truncated (data of tensor '{tensor}').", ex);
        }
    }

    /// <summary>Each tensor as a view of its storage buffer, after checking that the view lies inside it.</summary>
    private static WeightSet Views(List<(string Name, TensorRef Tensor)> state, Dictionary<string, Tensor> buffers, string path)
    {
        var set = new WeightSet();
        try
        {
            foreach (var (name, tensor) in state)
            {
                var storage = tensor.Storage;
                CheckView(tensor, path, name);
                set.Add(name, buffers[storage.Key].as_strided(tensor.Shape, tensor.Stride, tensor.Offset));
            }
        }
        catch (InvalidDataException ex) when (!ex.Message.StartsWith($"'{path}'", StringComparison.Ordinal))
        {
            set.Dispose();
            throw new InvalidDataException($"'{path}': {ex.Message}", ex);
        }
        catch
        {
            set.Dispose();
            throw;
        }

        return set;
    }

    private static void CheckView(TensorRef tensor, string path, string name)
    {
        if (tensor.Shape.Length != tensor.Stride.Length || tensor.Shape.Length > 64 || tensor.Offset < 0 || tensor.Stride.Any(s => s < 0))
        {
            throw new InvalidDataException(
                $"'{path}': tensor '{name}' has an impossible layout (size {SafeTensors.Describe(tensor.Shape)}, stride {SafeTensors.Describe(tensor.Stride)}, offset {tensor.Offset}).");
        }

        long elements = SafeTensors.ByteSize(tensor.Shape, 1, path, name);
        if (elements == 0)
        {
            return;
        }

        try
        {
            long last = tensor.Offset;
            for (int d = 0; d < tensor.Shape.Length; d++)
            {
                last = checked(last + checked((tensor.Shape[d] - 1) * tensor.Stride[d]));
            }

            if (last >= tensor.Storage.Elements)
            {
                throw new InvalidDataException(
                    $"'{path}': tensor '{name}' (size {SafeTensors.Describe(tensor.Shape)}, stride {SafeTensors.Describe(tensor.Stride)}, offset {tensor.Offset}) "
                    + $"reaches element {last} of a storage of {tensor.Storage.Elements}.");
            }
        }
        catch (OverflowException ex)
        {
            throw new InvalidDataException($"'{path}': tensor '{name}' has a layout whose extent overflows.", ex);
        }
    }
}
