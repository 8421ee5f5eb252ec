using MlNetExt.Vision.Backbones;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Backbones;

public sealed class BackboneTrainingTests(ITestOutputHelper output)
{
    /// <summary>Horizontal (class 0) vs vertical (class 1) stripes with random phase, period and noise.</summary>
    private static (Tensor Images, Tensor Labels) Stripes(int count, int size, Generator generator)
    {
        var images = torch.zeros(count, 1, size, size);
        var labels = torch.zeros(count, dtype: ScalarType.Int64);
        var coordinates = torch.arange(size, dtype: ScalarType.Float32);
        for (int i = 0; i < count; i++)
        {
            long label = i % 2;
            double period = 3 + 3 * torch.rand(1, generator: generator).item<float>();
            double phase = 6.28 * torch.rand(1, generator: generator).item<float>();
            var wave = (coordinates * (6.2832 / period) + phase).sin();
            var image = label == 0 ? wave.reshape(size, 1).expand(size, size) : wave.reshape(1, size).expand(size, size);
            images[i, 0] = image + 0.3 * torch.randn(size, size, generator: generator);
            labels[i] = label;
        }

        return (images, labels);
    }

    [Fact]
    public void SmallCnn_learns_stripe_orientation_and_generalises()
    {
        torch.manual_seed(61);
        var generator = new Generator(61);
        using var scope = torch.NewDisposeScope();
        var (train, trainLabels) = Stripes(64, 20, generator);
        var (test, testLabels) = Stripes(64, 20, generator);
        using var net = new SmallCnn(new SmallCnnOptions { InputChannels = 1, NumClasses = 2, Channels = new[] { 8, 16, 16 } });
        using var optimizer = torch.optim.Adam(net.parameters(), lr: 0.01);

        net.train();
        for (int step = 0; step < 30; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(net.call(train), trainLabels);
            loss.backward();
            optimizer.step();
        }

        net.eval();
        double accuracy;
        using (torch.no_grad())
        {
            accuracy = net.call(test).argmax(1).eq(testLabels).to(ScalarType.Float32).mean().item<float>();
        }

        output.WriteLine($"test accuracy {accuracy}");
        Assert.True(accuracy >= 0.9, $"test accuracy {accuracy}");
    }

    [Fact]
    public void Keras_mode_MobileNetV2_with_new_head_backpropagates_into_every_parameter()
    {
        torch.manual_seed(62);
        using var backbone = new MobileNetV2(new MobileNetV2Options { KerasCompatible = true, TruncateAfter = "features.11" });
        using var net = backbone.WithHead(nn.Linear(backbone.FeatureDimension, 3));
        using var scope = torch.NewDisposeScope();
        net.train();

        var loss = nn.functional.cross_entropy(net.call(torch.randn(4, 3, 32, 32)), torch.tensor(new long[] { 0, 1, 2, 0 }));
        loss.backward();

        var withoutGradient = net.named_parameters().Where(p => p.parameter.grad is null || p.parameter.grad.abs().sum().item<float>() == 0)
            .Select(p => p.name).ToList();
        Assert.Empty(withoutGradient);
    }
}
