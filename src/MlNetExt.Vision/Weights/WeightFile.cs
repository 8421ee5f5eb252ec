using System.IO.Compression;

namespace MlNetExt.Vision.Weights;

/// <summary>
/// Reads weight files by format: safetensors, TorchSharp <c>.dat</c>, ONNX initializers and PyTorch state dicts
/// (<c>torch.save</c> zip or legacy files, through a restricted reader that never runs code from the file).
/// </summary>
public static class WeightFile
{
    /// <summary>How to turn a PyTorch checkpoint that is not a plain state dict into safetensors.</summary>
    public const string PickleConversionHint =
        "Convert it once in Python: `import torch; from safetensors.torch import save_file; "
        + "sd = torch.load('model.pth', map_location='cpu', weights_only=True); sd = sd.get('state_dict', sd); "
        + "save_file({k: v.contiguous() for k, v in sd.items()}, 'model.safetensors')` and load the .safetensors file.";

    /// <summary>
    /// The format of <paramref name="path"/>: for an existing file, zip archives and legacy <c>torch.save</c> files are
    /// recognised by their content (a zip with one <c>&lt;name&gt;/data.pkl</c> is a PyTorch checkpoint, a zip with ML.NET's
    /// <c>Model.key</c> entries an ML.NET model); otherwise the extension decides (<c>.safetensors</c>, <c>.onnx</c>,
    /// <c>.pth</c>/<c>.pt</c>/<c>.ckpt</c>/<c>.pkl</c>/<c>.tar</c>; anything else is TorchSharp's format).
    /// </summary>
    public static WeightFileFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".safetensors" or ".onnx") && File.Exists(path))
        {
            var sniffed = Sniff(path);
            if (sniffed is not null)
            {
                return sniffed.Value;
            }
        }

        return ext switch
        {
            ".pth" or ".pt" or ".ckpt" or ".pkl" or ".pickle" or ".tar" => WeightFileFormat.PyTorchPickle,
            ".safetensors" => WeightFileFormat.SafeTensors,
            ".onnx" => WeightFileFormat.Onnx,
            _ => WeightFileFormat.TorchSharp,
        };
    }

    /// <summary>Reads every tensor of <paramref name="path"/>; the caller disposes the result.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content is corrupt, is not a weight file, or (PyTorch) is not a plain state dict; the message names the file.</exception>
    /// <exception cref="NotSupportedException">An ML.NET model zip, which is not a weight file.</exception>
    public static WeightSet Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Weight file '{path}' does not exist.", path);
        }

        return FormatOf(path) switch
        {
            WeightFileFormat.SafeTensors => SafeTensors.Load(path),
            WeightFileFormat.Onnx => OnnxInitializerReader.Load(path),
            WeightFileFormat.PyTorchPickle => ReadPyTorch(path),
            WeightFileFormat.MlNetModel => throw new NotSupportedException(
                $"'{path}' is an ML.NET model zip (mlContext.Model.Save), not a weight file. Load weights from a .safetensors, .pth, .onnx or TorchSharp .dat file."),
            WeightFileFormat.UnknownZip => throw new InvalidDataException(
                $"'{path}' is a zip archive but neither a PyTorch checkpoint (no '<name>/data.pkl' entry) nor an ML.NET model."),
            _ => TorchSharpStateDictFile.Load(path),
        };
    }

    private static WeightSet ReadPyTorch(string path)
    {
        try
        {
            return PyTorchCheckpoint.Load(path);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("is not a plain PyTorch state dict", StringComparison.Ordinal))
        {
            throw new InvalidDataException(ex.Message + " " + PickleConversionHint, ex);
        }
    }

    /// <summary>The format a file's first bytes show, or <c>null</c> when they show none of the sniffed formats.</summary>
    private static WeightFileFormat? Sniff(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4)
        {
            return null;
        }

        // A legacy torch.save file starts with the pickle of its magic number: PROTO 2, LONG1.
        if (head[0] == 0x80 && head[1] == 0x02 && head[2] == 0x8A && head[3] == 0x0A)
        {
            return WeightFileFormat.PyTorchPickle;
        }

        if (!(head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4))
        {
            return null;
        }

        stream.Position = 0;
        try
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (PyTorchCheckpoint.IsTorchZip(archive))
            {
                return WeightFileFormat.PyTorchPickle;
            }

            // ML.NET's model repository writes a Model.key beside every saved component.
            return archive.Entries.Any(e => e.Name == "Model.key") ? WeightFileFormat.MlNetModel : WeightFileFormat.UnknownZip;
        }
        catch (InvalidDataException)
        {
            // A damaged zip: PyTorch's reader (by extension) or the zip check reports it with the file name.
            return Path.GetExtension(path).ToLowerInvariant() is ".pth" or ".pt" or ".ckpt" or ".bin" ? WeightFileFormat.PyTorchPickle : WeightFileFormat.UnknownZip;
        }
    }
}
