using System.IO.Compression;
using Microsoft.ML;

namespace MlNetExt.Cli.Runs;

/// <summary>
/// The ONNX network a saved ML.NET pipeline scores, read from the model file's public layout: an ApplyOnnxModel
/// transformer's folder holds an <c>OnnxModel</c> entry (a 32-bit little-endian length, then the ONNX bytes). Used for
/// model.onnx when the fitted model does not expose its network itself.
/// </summary>
internal static class SavedOnnx
{
    public static byte[] First(MLContext ml, ITransformer model, DataViewSchema inputSchema)
    {
        using var saved = new MemoryStream();
        ml.Model.Save(model, inputSchema, saved);
        saved.Position = 0;
        return First(saved);
    }

    /// <summary>The first ONNX network in a saved model file (a zip written by <c>mlContext.Model.Save</c>).</summary>
    public static byte[] First(Stream savedModel)
    {
        using var zip = new ZipArchive(savedModel, ZipArchiveMode.Read, leaveOpen: true);
        var entry = zip.Entries.Where(e => e.Name == "OnnxModel").OrderBy(e => e.FullName, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new InvalidOperationException("The fitted pipeline holds no ONNX model.");
        using var reader = new BinaryReader(entry.Open());
        int length = reader.ReadInt32();
        byte[] bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
            throw new InvalidDataException($"The saved ONNX model is truncated ({bytes.Length} of {length} bytes).");
        return bytes;
    }
}
