using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;
using MlNetExt.Regression;
using MlNetExt.Regression.Counts;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Regression.Tests.Counts;

public class CountOnnxExportTests
{
    private static CountNetwork Network(ActivationKind activation, int[] hidden, int seed)
    {
        torch.manual_seed(seed);
        var sim = new CountSimulation(seed);
        float[] mean = Enumerable.Range(0, 5).Select(_ => (float)sim.Normal()).ToArray();
        float[] scale = Enumerable.Range(0, 5).Select(_ => (float)sim.Uniform(0.2, 3)).ToArray();
        var net = new CountNetwork(5, 3, hidden, activation, 0.2f, mean, scale, [0.1f, -1f, 1.5f]);
        net.eval();
        return net;
    }

    private static byte[] Export(CountNetwork net, int[] hidden, string[] inputs) => NeuralCountTraining.ExportOnnx(net,
        new CountArchitecture(CountArchitecture.NetworkName, 5, 3, hidden, ActivationKind.ReLU, 0.2f, ""), inputs, "Score",
        CountModelKind.Poisson, TrainingHistory.Empty, dispersion: null);

    [Theory]
    [InlineData(ActivationKind.ReLU)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.GELU)]
    [InlineData(ActivationKind.SiLU)]
    [InlineData(ActivationKind.Softplus)]
    public void Exported_network_matches_TorchSharp_within_1e_5(ActivationKind activation)
    {
        using var scope = NewDisposeScope();
        using var net = Network(activation, [16, 8], seed: (int)activation + 1);
        // Perturb the output layer so the rates are far from constant.
        using (no_grad()) foreach (var p in net.parameters()) p.add_(randn_like(p) * 0.3);
        byte[] onnx = Export(net, [16, 8], ["Features"]);

        var x = randn(64, 5) * 2;
        double error = OnnxParity.MaxRelativeError(net, onnx, x, "Features");

        Assert.True(error <= 1e-5, $"max relative error {error}");
    }

    [Fact]
    public void Exported_network_with_exposure_multiplies_the_rate_by_the_exposure()
    {
        using var scope = NewDisposeScope();
        using var net = Network(ActivationKind.ReLU, [8], seed: 9);
        byte[] onnx = Export(net, [8], ["Features", "Exposure"]);
        var x = randn(10, 5);
        var exposure = rand(10, 1) * 3 + 0.1;
        float[] expected;
        using (no_grad()) expected = (net.LogRate(x) + exposure.log()).exp().data<float>().ToArray();

        using var session = new InferenceSession(onnx);
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(x.data<float>().ToArray(), [10, 5])),
            NamedOnnxValue.CreateFromTensor("Exposure", new DenseTensor<float>(exposure.data<float>().ToArray(), [10, 1])),
        };
        using var results = session.Run(inputs);
        float[] actual = results.Single().AsTensor<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], Math.Abs(expected[i]) * 1e-5 + 1e-7);
    }
}
