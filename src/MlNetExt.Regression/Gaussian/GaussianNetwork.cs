using MlNetExt.Core.Torch;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Gaussian;

/// <summary>A trained <see cref="GaussianMlp"/> with its standardisation: TorchSharp predictions in label units.</summary>
internal sealed class GaussianNetwork(GaussianMlp module, GaussianStandardization scaling)
{
    public GaussianMlp Module { get; } = module;

    public GaussianStandardization Scaling { get; } = scaling;

    /// <summary>Means and standard deviations in label units for raw features [N, features]; eval mode, no grad.</summary>
    public (float[,] Mean, float[,] StdDev) Predict(float[,] features)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Module.eval();
        var device = Module.MeanHead.weight!.device;
        var x = tensor(features).to(device);
        var standardised = (x - tensor(Scaling.FeatureMean).to(device)) / tensor(Scaling.FeatureScale).to(device);
        var (mean, stdDev) = Module.forward(standardised);
        var labelScale = tensor(Scaling.LabelScale).to(device);
        var labelMean = (mean * labelScale).Plus(tensor(Scaling.LabelMean).to(device)).cpu();
        var labelStdDev = (stdDev * labelScale).cpu();
        return (ToMatrix(labelMean), ToMatrix(labelStdDev));
    }

    private static float[,] ToMatrix(Tensor t)
    {
        var result = new float[t.shape[0], t.shape[1]];
        var values = t.data<float>().ToArray();
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }
}
