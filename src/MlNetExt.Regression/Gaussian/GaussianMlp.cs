using MlNetExt.Core.Training;
using MlNetExt.Core.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Gaussian;

/// <summary>
/// A multilayer perceptron with two heads on a shared trunk: the mean and the standard deviation of a Gaussian
/// for each label coordinate, both in standardised label units. The standard deviation is
/// softplus(raw) + <see cref="StdDevFloor"/>, positive by construction.
/// </summary>
internal sealed class GaussianMlp : nn.Module<Tensor, (Tensor Mean, Tensor StdDev)>
{
    // Field names are the state_dict prefixes: trunk.fc0.weight, mean_head.weight, std_head.bias, ...
    private readonly Sequential trunk;
    private readonly Linear mean_head;
    private readonly Linear std_head;

    public GaussianMlp(int inputs, IReadOnlyList<int> hiddenLayerSizes, int outputs, ActivationKind activation,
        float stdDevFloor) : base(nameof(GaussianMlp))
    {
        StdDevFloor = stdDevFloor;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputs;
        for (int i = 0; i < hiddenLayerSizes.Count; i++)
        {
            layers.Add(($"fc{i}", nn.Linear(width, hiddenLayerSizes[i])));
            layers.Add(($"act{i}", Activations.Create(activation)));
            width = hiddenLayerSizes[i];
        }
        trunk = nn.Sequential(layers);
        HasHiddenLayers = hiddenLayerSizes.Count > 0;
        mean_head = nn.Linear(width, outputs);
        std_head = nn.Linear(width, outputs);
        using (no_grad())
        {
            // Start every prediction at sigma = 1 (the label's own spread once standardised): softplus(0.5413) = 1.
            std_head.weight!.TimesInPlace(0.1);
            std_head.bias!.FillInPlace(InverseSoftplus(1 - stdDevFloor));
        }
        RegisterComponents();
    }

    /// <summary>Added to softplus(raw) so the standard deviation never reaches zero (standardised label units).</summary>
    public float StdDevFloor { get; }

    /// <summary>Whether the trunk has any layers (else the heads see the standardised features).</summary>
    public bool HasHiddenLayers { get; }

    /// <summary>The shared hidden layers.</summary>
    public Sequential Trunk => trunk;

    /// <summary>The linear head giving the mean.</summary>
    public Linear MeanHead => mean_head;

    /// <summary>The linear head giving the standard deviation before softplus.</summary>
    public Linear StdDevHead => std_head;

    /// <summary>Parameters of the trunk and the mean head: what the mean warm-up trains.</summary>
    public IEnumerable<Parameter> MeanParameters() => trunk.parameters().Concat(mean_head.parameters());

    public override (Tensor Mean, Tensor StdDev) forward(Tensor standardisedFeatures)
    {
        using var hidden = trunk.forward(standardisedFeatures);
        var mean = mean_head.forward(hidden);
        using var raw = std_head.forward(hidden);
        var stdDev = raw.Softplus().PlusInPlace(StdDevFloor);
        return (mean, stdDev);
    }


    private static float InverseSoftplus(float y) => (float)Math.Log(Math.Exp(y) - 1);
}
