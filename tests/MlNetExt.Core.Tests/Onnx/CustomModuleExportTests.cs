using MlNetExt.Core.Onnx;
using MlNetExt.Core.Onnx.Protobuf;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Onnx;

public class CustomModuleExportTests
{
    /// <summary>A ResNet basic block: relu(bn2(conv2(relu(bn1(conv1(x))))) + x), exporting itself.</summary>
    private sealed class BasicBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;

        public BasicBlock(long channels) : base(nameof(BasicBlock))
        {
            conv1 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
            bn1 = nn.BatchNorm2d(channels);
            conv2 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
            bn2 = nn.BatchNorm2d(channels);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = nn.functional.relu(bn1.call(conv1.call(x)));
            y = bn2.call(conv2.call(y));
            return nn.functional.relu(y + x);
        }

        public string EmitOnnx(OnnxGraphBuilder graph, string input, string parameterPrefix)
        {
            string y = OnnxModuleExporter.Emit(graph, conv1, input, parameterPrefix + "conv1.");
            y = OnnxModuleExporter.Emit(graph, bn1, y, parameterPrefix + "bn1.");
            y = graph.AddNode("Relu", [y]);
            y = OnnxModuleExporter.Emit(graph, conv2, y, parameterPrefix + "conv2.");
            y = OnnxModuleExporter.Emit(graph, bn2, y, parameterPrefix + "bn2.");
            return graph.AddNode("Relu", [graph.AddNode("Add", [y, input])]);
        }
    }

    /// <summary>A module without an export.</summary>
    private sealed class Doubler : nn.Module<Tensor, Tensor>
    {
        public Doubler() : base(nameof(Doubler)) { }

        public override Tensor forward(Tensor x) => x * 2;
    }

    private static Sequential ResNetStage() => nn.Sequential(
        ("stem", nn.Conv2d(3, 4, 3, padding: 1)),
        ("layer1", nn.Sequential(("0", new BasicBlock(4)), ("1", new BasicBlock(4)))),
        ("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("fc", nn.Linear(4, 2)));

    [Fact]
    public void Custom_exportable_block_matches_and_names_initializers_by_state_dict()
    {
        using var net = ResNetStage();
        BatchNormExportTests.GiveRunningStatistics(net, [3, 8, 8]);

        byte[] onnx = Parity.AssertExportMatches(net, [3, 8, 8], 1, 3);

        var initializers = ModelProto.Parser.ParseFrom(onnx).Graph.Initializer.Select(t => t.Name).ToHashSet();
        var stateDictNames = net.state_dict().Keys.Where(k => !k.EndsWith("num_batches_tracked")).ToList();
        Assert.Contains("layer1.0.conv1.weight", initializers);
        Assert.Contains("layer1.1.bn2.running_var", initializers);
        Assert.All(stateDictNames, name => Assert.Contains(name, initializers));
    }

    [Fact]
    public void Unsupported_module_error_names_its_type_and_path()
    {
        using var net = nn.Sequential(
            ("features", nn.Sequential(("0", nn.Linear(3, 3)), ("1", nn.ReLU()), ("2", new Doubler()))),
            ("head", nn.Linear(3, 1)));

        var error = Assert.Throws<NotSupportedException>(() => OnnxModuleExporter.Export(net, [3]));

        Assert.Contains(typeof(Doubler).FullName!, error.Message);
        Assert.Contains("'features.2'", error.Message);
        Assert.Contains(nameof(IOnnxExportable), error.Message);
    }

    [Fact]
    public void Unsupported_built_in_module_error_names_its_type()
    {
        using var net = nn.Sequential(nn.Linear(3, 3), nn.Tanhshrink());

        var error = Assert.Throws<NotSupportedException>(() => OnnxModuleExporter.Export(net, [3]));

        Assert.Contains("TorchSharp.Modules.Tanhshrink", error.Message);
        Assert.Contains("'1'", error.Message);
    }
}
