using System.Buffers.Binary;
using System.IO.Compression;
using MlNetExt.Core.Onnx.Protobuf;
using MlNetExt.Vision.Weights;

namespace MlNetExt.Vision.Classification;

/// <summary>
/// Finds an MlNetExt image classifier's ONNX network inside a model saved with <c>mlContext.Model.Save</c>, by the
/// zip's observable layout (no ML.NET internals): every <c>ApplyOnnxModel</c> step is stored as an entry named
/// <c>OnnxModel</c> in its transformer's folder, holding the ONNX bytes after a length prefix. The classifier's network
/// is the one whose metadata says <c>mlnetext.model = image_classifier</c>.
/// </summary>
internal static class MlNetModelZip
{
    private const string OnnxEntryName = "OnnxModel";

    /// <summary>Whether <paramref name="path"/> starts like a zip archive.</summary>
    public static bool IsZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4
            && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
    }

    /// <summary>The ONNX model (parsed) of the one image classifier in the saved model <paramref name="zip"/>.</summary>
    /// <exception cref="InvalidDataException">Not a zip, no image classifier, or several.</exception>
    public static ModelProto ImageClassifierOnnx(Stream zip, string source)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{source}' is not a readable zip archive ({e.Message}).", e);
        }

        var classifiers = new List<ModelProto>();
        int onnxModels = 0;
        using (archive)
        {
            foreach (var entry in archive.Entries.Where(e => e.Name == OnnxEntryName))
            {
                onnxModels++;
                if (ParseImageClassifier(WithoutLengthPrefix(Read(entry)), source) is { } classifier)
                    classifiers.Add(classifier);
            }
        }

        return classifiers.Count switch
        {
            1 => classifiers[0],
            0 => throw new InvalidDataException(
                $"'{source}' holds no MlNetExt image classifier ({onnxModels} ONNX model(s), none with 'mlnetext.model = image_classifier' metadata). " +
                "Save a model fitted by ImageClassifier, or export one with ImageClassifierModel.ExportToOnnx."),
            _ => throw new InvalidDataException($"'{source}' holds {classifiers.Count} MlNetExt image classifiers; export the one to reuse with " +
                "ImageClassifierModel.ExportToOnnx and pass that file."),
        };
    }

    /// <summary>The parsed ONNX model when the bytes are an MlNetExt image classifier (by its metadata); null otherwise.</summary>
    private static ModelProto? ParseImageClassifier(byte[] onnx, string source)
    {
        try
        {
            var proto = OnnxInitializerReader.Parse(onnx, source);
            return OnnxInitializerReader.Metadata(proto).TryGetValue("mlnetext.model", out var model) && model == "image_classifier" ? proto : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>ML.NET writes a byte array as its length (int32 or int64, little-endian) followed by the bytes.</summary>
    private static byte[] WithoutLengthPrefix(byte[] bytes)
    {
        if (bytes.Length >= 8 && BinaryPrimitives.ReadInt64LittleEndian(bytes) == bytes.Length - 8)
            return bytes[8..];
        if (bytes.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(bytes) == bytes.Length - 4)
            return bytes[4..];
        return bytes;
    }
}
