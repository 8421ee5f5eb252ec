using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Classification;

/// <summary>Builds the head put on the backbone's pooled features: [dropout, linear, ReLU]* then dropout and the output layer.</summary>
internal static class ClassifierHead
{
    /// <summary>A sequential head mapping <paramref name="inputs"/> features to <paramref name="outputs"/> logits.</summary>
    public static nn.Module<Tensor, Tensor> Create(long inputs, IReadOnlyList<int> hidden, float dropout, int outputs)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        long width = inputs;
        for (int i = 0; i < hidden.Count; i++)
        {
            if (hidden[i] < 1)
                throw new ArgumentOutOfRangeException(nameof(hidden), $"HeadHiddenLayers[{i}] must be positive; found {hidden[i]}.");
            if (dropout > 0)
                layers.Add(($"dropout{i}", nn.Dropout(dropout)));
            layers.Add(($"fc{i}", nn.Linear(width, hidden[i])));
            layers.Add(($"relu{i}", nn.ReLU()));
            width = hidden[i];
        }
        if (dropout > 0)
            layers.Add(("dropout", nn.Dropout(dropout)));
        layers.Add(("out", nn.Linear(width, outputs)));
        return nn.Sequential(layers);
    }
}
