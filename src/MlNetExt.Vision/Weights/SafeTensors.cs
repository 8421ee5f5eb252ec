using MlNetExt.Core.IO;
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
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                throw new InvalidDataException($"'{sourceName}': the safetensors header names '{property.Name}' twice.");
            }

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

        CheckTiling(entries.Select(e => (e.Name, e.Begin, e.End)), dataLength, stream.CanSeek, sourceName);
        var set = new WeightSet(metadata);
        try
        {
            foreach (var (name, type, shape, begin, end) in entries.OrderBy(e => e.Begin))
            {
                stream.Seek(dataStart + begin, SeekOrigin.Begin);
                var tensor = torch.empty(shape, type);
                set.Add(name, tensor);
                if (end > begin)
                {
                    ReadExactly(stream, tensor.bytes, sourceName);
                }
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
    /// The tensors' byte ranges must tile the data section exactly: sorted by offset, each starts where the previous
    /// one ends, the first at 0 and the last at the end of the file. Overlapping ranges would let a small file claim
    /// many times its size in memory; gaps would hide unread bytes.
    /// </summary>
    private static void CheckTiling(IEnumerable<(string Name, long Begin, long End)> ranges, long dataLength, bool knownLength, string sourceName)
    {
        long expected = 0;
        string? previous = null;
        foreach (var (name, begin, end) in ranges.OrderBy(r => r.Begin).ThenBy(r => r.End))
        {
            if (begin != expected)
            {
                string what = begin < expected ? "overlaps" : "leaves a gap after";
                throw new InvalidDataException(
                    $"'{sourceName}': tensor '{name}' (bytes {begin}..{end}) {what} {(previous is null ? "the start of the data section" : $"tensor '{previous}'")} "
                    + $"(expected it to start at byte {expected}); the tensors of a safetensors file must tile its data section exactly.");
            }

            expected = end;
            previous = name;
        }

        if (knownLength && expected != dataLength)
        {
            throw new InvalidDataException(
                $"'{sourceName}': the tensors cover {expected} bytes but the data section has {dataLength}; the tensors of a safetensors file must tile "
                + "its data section exactly.");
        }
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
        AtomicFile.Write(path, file =>
        {
            var lengthBytes = new byte[8];
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
        });
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
            string dtype = e.GetProperty("dtype").GetString() ?? "";
            if (!SafeTensorsDType.TryToScalarType(dtype, out var type))
            {
                throw new InvalidDataException(
                    $"'{sourceName}': tensor '{name}' has dtype '{dtype}', which is not supported; supported: {SafeTensorsDType.SupportedNames}.");
            }

            var shape = e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = e.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long bytes = ByteSize(shape, SafeTensorsDType.ElementSize(type), sourceName, name);
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]
                || offsets[1] - offsets[0] != bytes || offsets[1] > dataLength)
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

    /// <summary>
    /// Bytes of a tensor of <paramref name="shape"/>, computed with overflow checks; throws
    /// <see cref="InvalidDataException"/> naming <paramref name="sourceName"/> and <paramref name="tensorName"/> for a
    /// negative dimension or a size beyond 2^63 bytes.
    /// </summary>
    internal static long ByteSize(IReadOnlyList<long> shape, long elementSize, string sourceName, string tensorName)
    {
        try
        {
            long bytes = elementSize;
            foreach (long d in shape)
            {
                if (d < 0)
                {
                    throw new InvalidDataException($"'{sourceName}': tensor '{tensorName}' has a negative dimension in shape {Describe(shape)}.");
                }

                bytes = checked(bytes * d);
            }

            return bytes;
        }
        catch (OverflowException ex)
        {
            throw new InvalidDataException(
                $"'{sourceName}': tensor '{tensorName}' has shape {Describe(shape)}, whose size overflows a 64-bit byte count.", ex);
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

    internal static string Describe(IEnumerable<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
