using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Weights;

/// <summary>
/// Reader and writer of the <c>.safetensors</c> format: an 8-byte little-endian header length, a JSON header
/// <c>{name: {dtype, shape, data_offsets}, "__metadata__": {...}}</c>, then the raw little-endian tensor bytes.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Reads every tensor of a safetensors file, keeping each tensor's stored dtype.</summary>
    public static WeightSet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads every tensor from a seekable safetensors stream; <paramref name="sourceName"/> names it in errors.</summary>
    public static WeightSet Load(Stream stream, string sourceName = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(stream, lengthBytes, sourceName);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        long available = stream.CanSeek ? stream.Length - 8 : long.MaxValue;
        if (headerLength == 0 || headerLength > (ulong)MaxHeaderBytes || (long)headerLength > available)
        {
            throw new InvalidDataException(
                $"'{sourceName}' is not a safetensors file: header length {headerLength} is impossible (file has {available} bytes after the length).");
        }

        var header = new byte[headerLength];
        ReadExactly(stream, header, sourceName);
        long dataStart = 8 + (long)headerLength;
        long dataLength = stream.CanSeek ? stream.Length - dataStart : long.MaxValue;

        using var json = ParseHeader(header, sourceName);
        var entries = new List<(string Name, ScalarType Type, long[] Shape, long Begin, long End)>();
        Dictionary<string, string> metadata = new(StringComparer.Ordinal);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Name == MetadataKey)
            {
                foreach (var m in property.Value.EnumerateObject())
                {
                    metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                }

                continue;
            }

            entries.Add(ParseEntry(property, sourceName, dataLength));
        }

        var set = new WeightSet(metadata);
        try
        {
            foreach (var (name, type, shape, begin, end) in entries.OrderBy(e => e.Begin))
            {
                var bytes = new byte[end - begin];
                stream.Seek(dataStart + begin, SeekOrigin.Begin);
                ReadExactly(stream, bytes, sourceName);
                var tensor = torch.empty(shape, type);
                if (bytes.Length > 0)
                {
                    tensor.bytes = bytes;
                }

                set.Add(name, tensor);
            }
        }
        catch
        {
            set.Dispose();
            throw;
        }

        return set;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> (temporary file, then rename).
    /// <paramref name="storeAs"/> converts floating-point tensors to that dtype (for example Float32 or Float16);
    /// <c>null</c> keeps each tensor's dtype.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, ScalarType? storeAs = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors writing needs a little-endian machine.");
        }

        using var scope = torch.NewDisposeScope();
        var prepared = new List<(string Name, Tensor Tensor)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (name == MetadataKey || !names.Add(name))
            {
                throw new ArgumentException($"Tensor name '{name}' is reserved or appears twice.", nameof(tensors));
            }

            var t = tensor.detach().cpu();
            if (storeAs is ScalarType target && t.is_floating_point() && t.dtype != target)
            {
                t = t.to_type(target);
            }

            prepared.Add((name, t.contiguous()));
        }

        var headerJson = BuildHeader(prepared, metadata);
        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> lengthBytes = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)headerJson.Length);
                file.Write(lengthBytes);
                file.Write(headerJson);
                foreach (var (_, t) in prepared)
                {
                    if (t.numel() > 0)
                    {
                        file.Write(t.bytes);
                    }
                }
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static byte[] BuildHeader(List<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata)
                {
                    writer.WriteString(k, v);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, t) in tensors)
            {
                long size = t.numel() * SafeTensorsDType.ElementSize(t.dtype);
                writer.WriteStartObject(name);
                writer.WriteString("dtype", SafeTensorsDType.FromScalarType(t.dtype));
                writer.WriteStartArray("shape");
                foreach (var d in t.shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + size);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += size;
            }

            writer.WriteEndObject();
        }

        // Pad with spaces so the tensor data starts 8-byte aligned, as the reference writer does.
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        var header = new byte[padded];
        buffer.ToArray().CopyTo(header, 0);
        for (int i = (int)buffer.Length; i < padded; i++)
        {
            header[i] = (byte)' ';
        }

        return header;
    }

    private static JsonDocument ParseHeader(byte[] header, string sourceName)
    {
        try
        {
            var doc = JsonDocument.Parse(Encoding.UTF8.GetString(header).TrimEnd(' ', '\0'));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new InvalidDataException($"'{sourceName}': the safetensors header is not a JSON object.");
            }

            return doc;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{sourceName}' is not a safetensors file: its header is not valid JSON ({ex.Message}).", ex);
        }
    }

    private static (string, ScalarType, long[], long, long) ParseEntry(JsonProperty property, string sourceName, long dataLength)
    {
        string name = property.Name;
        try
        {
            var e = property.Value;
            var type = SafeTensorsDType.ToScalarType(e.GetProperty("dtype").GetString() ?? "");
            var shape = e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = e.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long elements = shape.Aggregate(1L, (a, b) => a * b);
            if (shape.Any(d => d < 0) || offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]
                || offsets[1] - offsets[0] != elements * SafeTensorsDType.ElementSize(type) || offsets[1] > dataLength)
            {
                throw new InvalidDataException(
                    $"'{sourceName}': tensor '{name}' has inconsistent shape [{string.Join(", ", shape)}], dtype and data_offsets [{string.Join(", ", offsets)}] (data section has {dataLength} bytes).");
            }

            return (name, type, shape, offsets[0], offsets[1]);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{sourceName}': header entry of tensor '{name}' is malformed ({ex.Message}).", ex);
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string sourceName)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"'{sourceName}' is truncated.", ex);
        }
    }

    internal static string Describe(long[] shape) =>
        "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
