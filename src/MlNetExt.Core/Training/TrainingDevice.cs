using TorchSharp;

namespace MlNetExt.Core.Training;

/// <summary>Turns the <see cref="NeuralTrainerOptions.Device"/> string into a TorchSharp device.</summary>
internal static class TrainingDevice
{
    public static torch.Device Parse(string? device)
    {
        // The first TorchSharp call of every trainer: a missing libtorch backend gets a message naming the package.
        NativeRuntimes.EnsureTorchSharp();
        var text = (device ?? "cpu").Trim().ToLowerInvariant();
        if (text == "cpu")
            return torch.CPU;
        if (text == "cuda" || text.StartsWith("cuda:", StringComparison.Ordinal))
        {
            var index = -1;
            if (text.Length > 5 && (!int.TryParse(text.AsSpan(5), out index) || index < 0))
                throw new ArgumentException($"Device '{device}' is not valid; expected \"cpu\", \"cuda\" or \"cuda:N\".", nameof(device));
            if (!torch.cuda.is_available())
                throw new NotSupportedException(
                    $"Device '{device}' was requested but CUDA is not available to TorchSharp (no GPU, or the CPU-only libtorch package is in use). Use Device = \"cpu\".");
            if (index >= torch.cuda.device_count())
                throw new ArgumentException($"Device '{device}' does not exist; {torch.cuda.device_count()} CUDA device(s) are available.", nameof(device));
            return index < 0 ? torch.CUDA : torch.device(DeviceType.CUDA, index);
        }
        throw new ArgumentException($"Device '{device}' is not valid; expected \"cpu\", \"cuda\" or \"cuda:N\".", nameof(device));
    }
}
