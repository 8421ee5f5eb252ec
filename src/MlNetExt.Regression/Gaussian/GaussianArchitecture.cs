using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;

namespace MlNetExt.Regression.Gaussian;

/// <summary>What rebuilds a <see cref="GaussianMlp"/> (the <c>mlnetext.architecture</c> of Gaussian models). The weights
/// are the ONNX initializers named by state_dict name; the standardisation is the initializers <c>feature_mean</c>,
/// <c>feature_scale</c>, <c>label_mean</c> and <c>label_scale</c>.</summary>
/// <param name="Network">Always "gaussian_mlp": a trunk with a mean head and a standard deviation head.</param>
/// <param name="Features">Values per row of the feature column.</param>
/// <param name="Outputs">Label coordinates.</param>
/// <param name="HiddenLayers">Trunk layer sizes.</param>
/// <param name="Activation">The activation after each trunk layer.</param>
/// <param name="MinStdDev">The standard deviation floor in standardised label units.</param>
/// <param name="StateDictPrefix">The prefix of the weight initializer names ("" for Gaussian models).</param>
internal sealed record GaussianArchitecture(string Network, int Features, int Outputs, int[] HiddenLayers, ActivationKind Activation,
    float MinStdDev, string StateDictPrefix)
{
    /// <summary>The <see cref="Network"/> value of Gaussian models.</summary>
    public const string NetworkName = "gaussian_mlp";

    /// <summary>A new network with this architecture; with <paramref name="weights"/>, holding that model's weights and
    /// returning its standardisation.</summary>
    /// <exception cref="InvalidDataException">The model's weights do not fit this architecture.</exception>
    public (GaussianMlp Module, GaussianStandardization? Scaling) Build(OnnxModelReader? weights = null)
    {
        var module = new GaussianMlp(Features, HiddenLayers, Outputs, Activation, MinStdDev);
        if (weights is null)
            return (module, null);
        try
        {
            OnnxWeights.LoadInto(module, weights, StateDictPrefix);
            var scaling = new GaussianStandardization(Floats(weights, "feature_mean", Features), Floats(weights, "feature_scale", Features),
                Floats(weights, "label_mean", Outputs), Floats(weights, "label_scale", Outputs));
            return (module, scaling);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private static float[] Floats(OnnxModelReader onnx, string name, int count)
    {
        using var values = onnx.ReadInitializer(name)
            ?? throw new InvalidDataException($"The Gaussian model's ONNX graph has no initializer '{name}'.");
        var data = values.data<float>().ToArray();
        if (data.Length != count)
            throw new InvalidDataException($"The Gaussian model's initializer '{name}' has {data.Length} values; expected {count}.");
        return data;
    }
}
