namespace MlNetExt.Vision.Weights;

/// <summary>Reads weight files by format: safetensors, TorchSharp <c>.dat</c>, ONNX initializers. Pickles are refused.</summary>
public static class WeightFile
{
    /// <summary>How to turn a PyTorch checkpoint into safetensors (shown when one is passed in).</summary>
    public const string PickleConversionHint =
        "PyTorch .pth/.pt checkpoints are Python pickles, which can run arbitrary code when loaded, so MlNetExt never unpickles them. "
        + "Convert it once in Python: `import torch; from safetensors.torch import save_file; "
        + "sd = torch.load('model.pth', map_location='cpu', weights_only=True); sd = sd.get('state_dict', sd); "
        + "save_file({k: v.contiguous() for k, v in sd.items()}, 'model.safetensors')` and load the .safetensors file.";

    /// <summary>The format of <paramref name="path"/>, judged by its extension and (when it exists) its first bytes.</summary>
    public static WeightFileFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        switch (ext)
        {
            case ".pth" or ".pt" or ".ckpt" or ".pkl" or ".pickle" or ".tar":
                return WeightFileFormat.PyTorchPickle;
            case ".safetensors":
                return WeightFileFormat.SafeTensors;
            case ".onnx":
                return WeightFileFormat.Onnx;
        }

        if (File.Exists(path) && LooksLikePickleOrZip(path))
        {
            return WeightFileFormat.PyTorchPickle;
        }

        return WeightFileFormat.TorchSharp;
    }

    /// <summary>Reads every tensor of <paramref name="path"/>; the caller disposes the result.</summary>
    /// <exception cref="NotSupportedException">For PyTorch pickles, with instructions to convert to safetensors.</exception>
    public static WeightSet Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var format = FormatOf(path);
        if (format == WeightFileFormat.PyTorchPickle)
        {
            throw new NotSupportedException($"'{path}' is a PyTorch pickle checkpoint. {PickleConversionHint}");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Weight file '{path}' does not exist.", path);
        }

        return format switch
        {
            WeightFileFormat.SafeTensors => SafeTensors.Load(path),
            WeightFileFormat.Onnx => OnnxInitializerReader.Load(path),
            _ => TorchSharpStateDictFile.Load(path),
        };
    }

    private static bool LooksLikePickleOrZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        if (stream.Read(head) < 4)
        {
            return false;
        }

        // A zip archive (torch.save since 1.6) or a legacy torch.save pickle (PROTO 2, then the magic number as LONG1).
        bool zip = head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
        bool pickle = head[0] == 0x80 && head[1] == 0x02 && head[2] == 0x8A && head[3] == 0x0A;
        return zip || pickle;
    }
}
