using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Weights;

public sealed class TorchSharpStateDictFileTests
{
    [Fact]
    public void Reads_what_TorchSharp_module_save_writes()
    {
        using var dir = new TempDirectory();
        torch.manual_seed(11);
        using var net = new SmallCnn();
        var path = dir.File("net.dat");
        net.save(path);

        using var read = TorchSharpStateDictFile.Load(path);

        var expected = net.state_dict();
        Assert.Equal(expected.Keys, read.Keys);
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value.dtype, read[key].dtype);
            Assert.True(TensorEquality.Same(value, read[key]), key);
        }
    }

    [Fact]
    public void TorchSharp_module_load_reads_what_the_writer_writes()
    {
        using var dir = new TempDirectory();
        torch.manual_seed(12);
        using var source = new SmallCnn();
        using var destination = new SmallCnn();
        var path = dir.File("net.dat");

        TorchSharpStateDictFile.Save(path, source.state_dict());
        destination.load(path);

        foreach (var (key, value) in source.state_dict())
        {
            Assert.True(TensorEquality.Same(value, destination.state_dict()[key]), key);
        }
    }

    [Fact]
    public void SaveWeights_and_LoadWeights_round_trip_through_dat_and_safetensors()
    {
        using var dir = new TempDirectory();
        torch.manual_seed(13);
        using var source = new SmallCnn();
        foreach (var name in new[] { "w.dat", "w.safetensors" })
        {
            using var destination = new SmallCnn();
            source.SaveWeights(dir.File(name));

            var report = destination.LoadWeights(dir.File(name));

            Assert.True(report.IsExactMatch, report.Describe());
            Assert.Equal(source.state_dict().Count, report.LoadedKeys.Count);
            foreach (var (key, value) in source.state_dict())
            {
                Assert.True(TensorEquality.Same(value, destination.state_dict()[key]), $"{name}: {key}");
            }
        }
    }
}
