using System.IO.Compression;
using System.Text;

namespace MlNetExt.Core.Models;

/// <summary>
/// Reads the ONNX models out of a zip written by <c>mlContext.Model.Save</c>, by ML.NET's public file layout (no
/// reflection): the saved transformer is in the folder <see cref="RootDirectory"/>; a chain stores its i-th transformer in
/// the sub-folder <c>Transform_{i:000}</c>; an ONNX transformer's folder holds <c>Model.key</c> (a header whose model
/// signature is "ONNXSCOR") and <c>OnnxModel</c> (the model bytes after a 32-bit little-endian length).
/// </summary>
internal sealed class SavedModelArchive : IDisposable
{
    /// <summary>The folder of the saved transformer.</summary>
    public const string RootDirectory = "TransformerChain";

    private const string OnnxModelEntry = "OnnxModel";
    private const string HeaderEntry = "Model.key";
    private const int ModelSignatureOffset = 64;
    private static readonly byte[] OnnxModelSignature = Encoding.ASCII.GetBytes("ONNXSCOR");

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;

    /// <summary>Opens the zip in <paramref name="stream"/> (left open).</summary>
    /// <exception cref="InvalidDataException">The stream is not a zip.</exception>
    public SavedModelArchive(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        _entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in _zip.Entries)
            _entries[entry.FullName.Replace('\\', '/')] = entry;
    }

    /// <summary>The sub-folder of a chain's <paramref name="index"/>-th transformer.</summary>
    public static string ChainElement(string directory, int index) => $"{directory}/Transform_{index:000}";

    /// <summary>The ONNX model bytes of the ONNX transformer saved in <paramref name="directory"/>, or null when the folder
    /// holds no ONNX transformer.</summary>
    /// <exception cref="InvalidDataException">The folder's model entry is damaged.</exception>
    public byte[]? ReadOnnxModel(string directory)
    {
        if (!_entries.TryGetValue($"{directory}/{HeaderEntry}", out var header) || !IsOnnxTransformer(header)
            || !_entries.TryGetValue($"{directory}/{OnnxModelEntry}", out var entry))
            return null;
        using var stream = entry.Open();
        using var reader = new BinaryReader(stream);
        int length = reader.ReadInt32();
        if (length <= 0 || length != entry.Length - sizeof(int))
            throw new InvalidDataException(
                $"The saved model's entry '{entry.FullName}' is damaged: it announces {length} bytes of ONNX model but holds {entry.Length - sizeof(int)}.");
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
            throw new InvalidDataException($"The saved model's entry '{entry.FullName}' ends early.");
        return bytes;
    }

    /// <inheritdoc />
    public void Dispose() => _zip.Dispose();

    private static bool IsOnnxTransformer(ZipArchiveEntry header)
    {
        using var stream = header.Open();
        var bytes = new byte[ModelSignatureOffset + OnnxModelSignature.Length];
        int read = 0;
        while (read < bytes.Length)
        {
            int n = stream.Read(bytes, read, bytes.Length - read);
            if (n == 0)
                return false;
            read += n;
        }
        return bytes.AsSpan(ModelSignatureOffset).SequenceEqual(OnnxModelSignature);
    }
}
