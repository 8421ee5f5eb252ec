using MlNetExt.Core.Onnx;
using MlNetExt.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// torchvision's ResNet (18, 34 or 50 layers) with torchvision's parameter names (<c>conv1</c>, <c>bn1</c>,
/// <c>layer1.0.conv1</c>, <c>layer2.0.downsample.0</c>, <c>fc</c>, ...), so torchvision and timm state dicts load
/// without renaming. Stages: <c>layer1</c> .. <c>layer4</c>.
/// </summary>
public sealed class ResNet : BackboneNetwork
{
    private static readonly string[] AllStages = { "layer1", "layer2", "layer3", "layer4" };

    private readonly nn.Module<Tensor, Tensor> _conv1;
    private readonly nn.Module<Tensor, Tensor> _bn1;
    private readonly nn.Module<Tensor, Tensor> _maxpool;
    private readonly List<nn.Module<Tensor, Tensor>> _layers = new();
    private readonly nn.Module<Tensor, Tensor>? _fc;
    private readonly string _architecture;
    private readonly long _featureDimension;
    private readonly string[] _stages;
    private readonly int? _numClasses;

    /// <summary>Builds ResNet with <paramref name="depth"/> 18, 34 or 50.</summary>
    public ResNet(int depth, BackboneOptions? options = null) : base(nameof(ResNet))
    {
        options ??= new BackboneOptions();
        (bool bottleneck, int[] blocks) = depth switch
        {
            18 => (false, new[] { 2, 2, 2, 2 }),
            34 => (false, new[] { 3, 4, 6, 3 }),
            50 => (true, new[] { 3, 4, 6, 3 }),
            _ => throw new ArgumentOutOfRangeException(nameof(depth), depth, "ResNet depth must be 18, 34 or 50."),
        };
        if (options.InputChannels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InputChannels, "InputChannels must be at least 1.");
        }

        _architecture = "resnet" + depth;
        int last = ResolveStage(_architecture, AllStages, options.TruncateAfter);
        _stages = AllStages[..(last + 1)];
        int expansion = bottleneck ? ResNetBottleneck.Expansion : ResNetBasicBlock.Expansion;

        _conv1 = nn.Conv2d(options.InputChannels, 64, 7, stride: 2, padding: 3, bias: false);
        _bn1 = new ExplicitScalarBatchNorm2d(64);
        _maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("relu", nn.ReLU());
        register_module("maxpool", _maxpool);

        long inplanes = 64;
        long[] planes = { 64, 128, 256, 512 };
        for (int stage = 0; stage <= last; stage++)
        {
            var layer = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (int b = 0; b < blocks[stage]; b++)
            {
                long stride = b == 0 && stage > 0 ? 2 : 1;
                nn.Module<Tensor, Tensor> block = bottleneck
                    ? new ResNetBottleneck(inplanes, planes[stage], stride)
                    : new ResNetBasicBlock(inplanes, planes[stage], stride);
                layer.Add((b.ToString(System.Globalization.CultureInfo.InvariantCulture), block));
                inplanes = planes[stage] * expansion;
            }

            var sequential = nn.Sequential(layer);
            _layers.Add(sequential);
            register_module(AllStages[stage], sequential);
        }

        _featureDimension = inplanes;
        register_module("avgpool", nn.AdaptiveAvgPool2d(1));
        if (options.ClassifierWidth(nameof(options)) is int classes)
        {
            _fc = nn.Linear(_featureDimension, classes);
            register_module("fc", _fc);
            _numClasses = classes;
        }

        TorchvisionInitialization.Apply(this);
    }

    /// <inheritdoc />
    public override string Architecture => _architecture;

    /// <inheritdoc />
    public override long FeatureDimension => _featureDimension;

    /// <inheritdoc />
    public override IReadOnlyList<string> StageNames => _stages;

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor>? Classifier => _fc;

    /// <inheritdoc />
    public override int? NumClasses => _numClasses;

    internal nn.Module<Tensor, Tensor> Conv1 => _conv1;

    internal nn.Module<Tensor, Tensor> Bn1 => _bn1;

    internal nn.Module<Tensor, Tensor> MaxPool => _maxpool;

    internal IReadOnlyList<nn.Module<Tensor, Tensor>> Layers => _layers;

    /// <inheritdoc />
    public override Tensor FeatureMap(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = _bn1.call(_conv1.call(input)).relu_();
        x = _maxpool.call(x);
        foreach (var layer in _layers)
        {
            x = layer.call(x);
        }

        return x.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override string ClassifierName => "fc";

    /// <inheritdoc />
    protected override string EmitOnnxFeatureMap(OnnxGraphBuilder graph, string input, string parameterPrefix)
    {
        string x = VisionOnnxEmitter.ConvBatchNorm(graph, _conv1, _bn1, input, parameterPrefix + "conv1.", parameterPrefix + "bn1.");
        x = graph.AddNode("Relu", [x]);
        x = OnnxModuleExporter.Emit(graph, _maxpool, x, parameterPrefix + "maxpool.");
        for (int i = 0; i < _layers.Count; i++)
        {
            x = OnnxModuleExporter.Emit(graph, _layers[i], x, parameterPrefix + AllStages[i] + ".");
        }

        return x;
    }

    /// <summary>torchvision's downsample projection: <c>Sequential(conv1x1(stride), BatchNorm2d)</c>.</summary>
    internal static nn.Module<Tensor, Tensor> DownsampleProjection(long inplanes, long outplanes, long stride) =>
        nn.Sequential(
            ("0", (nn.Module<Tensor, Tensor>)nn.Conv2d(inplanes, outplanes, 1, stride: stride, bias: false)),
            ("1", new ExplicitScalarBatchNorm2d(outplanes)));
}
