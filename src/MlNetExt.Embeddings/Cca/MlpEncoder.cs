using MlNetExt.Core.Training;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Cca;

/// <summary>Builds the default MLP encoder: Linear + activation per hidden layer, then a Linear output layer.</summary>
internal static class MlpEncoder
{
    public static nn.Module<Tensor, Tensor> Create(int inputWidth, int outputWidth, int[] hiddenLayers, ActivationKind activation)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputWidth;
        for (int i = 0; i < hiddenLayers.Length; i++)
        {
            layers.Add(($"hidden{i}", nn.Linear(width, hiddenLayers[i])));
            layers.Add(($"act{i}", Activations.Create(activation)));
            width = hiddenLayers[i];
        }
        layers.Add(("output", nn.Linear(width, outputWidth)));
        return nn.Sequential(layers);
    }
}
