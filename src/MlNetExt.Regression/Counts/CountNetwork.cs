using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;
using MlNetExt.Core.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Counts;

/// <summary>
/// Standardisation (fixed buffers) followed by an MLP giving the log-rate of every output; <c>forward</c> returns
/// the expected count exp(log-rate) at unit exposure. Exports itself to ONNX (Sub, Mul, the MLP, Exp).
/// </summary>
internal sealed class CountNetwork : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Tensor feature_mean;
    private readonly Tensor feature_scale;
    private readonly Sequential mlp;
    private readonly Linear output;

    public CountNetwork(int inputs, int outputs, IReadOnlyList<int> hidden, ActivationKind activation, float dropout,
        float[] featureMean, float[] featureScale, float[] initialLogRate) : base(nameof(CountNetwork))
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputs;
        foreach (int h in hidden)
        {
            layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.Linear(width, h)));
            layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Activations.Create(activation)));
            if (dropout > 0) layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.Dropout(dropout)));
            width = h;
        }
        output = nn.Linear(width, outputs);
        using (no_grad())
        {
            if (hidden.Count > 0) output.weight!.TimesInPlace(0.1);   // start near the constant mean-rate model
            output.bias!.copy_(tensor(initialLogRate));
        }
        layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), output));
        mlp = nn.Sequential(layers);
        feature_mean = tensor(featureMean);
        feature_scale = tensor(featureScale);
        register_buffer(nameof(feature_mean), feature_mean);
        register_buffer(nameof(feature_scale), feature_scale);
        register_module(nameof(mlp), mlp);
    }

    public int Outputs => (int)output.out_features;

    /// <summary>ln μ at unit exposure, [batch, outputs].</summary>
    public Tensor LogRate(Tensor features) => mlp.forward((features - feature_mean) * feature_scale);

    public override Tensor forward(Tensor features) => LogRate(features).exp();

    /// <summary>Emits the log-rate and returns its value name.</summary>
    public string EmitLogRate(OnnxGraphBuilder graph, string input, string parameterPrefix)
    {
        string mean = graph.AddInitializer(parameterPrefix + nameof(feature_mean), feature_mean);
        string scale = graph.AddInitializer(parameterPrefix + nameof(feature_scale), feature_scale);
        string centred = graph.AddNode("Sub", new[] { input, mean });
        string scaled = graph.AddNode("Mul", new[] { centred, scale });
        return OnnxModuleExporter.Emit(graph, mlp, scaled, parameterPrefix + nameof(mlp) + ".");
    }

    public string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix)
        => graph.AddNode("Exp", new[] { EmitLogRate(graph, input, parameterPrefix) });

}
