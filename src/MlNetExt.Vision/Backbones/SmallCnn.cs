using System.Globalization;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// A small CNN for 28-64 px images: blocks <c>features.i</c> = 3x3 conv (no bias), BatchNorm, ReLU and (except in
/// the last block) 2x2 max pooling, then global average pooling and the classifier <c>fc</c>.
/// </summary>
public sealed class SmallCnn : BackboneNetwork
{
    private readonly nn.Module<Tensor, Tensor> _features;
    private readonly nn.Module<Tensor, Tensor>? _fc;
    private readonly long _featureDimension;
    private readonly string[] _stages;
    private readonly int? _numClasses;

    /// <summary>Builds the network from <paramref name="options"/>.</summary>
    public SmallCnn(SmallCnnOptions? options = null) : base(nameof(SmallCnn))
    {
        options ??= new SmallCnnOptions();
        if (options.Channels is null || options.Channels.Count == 0 || options.Channels.Any(c => c < 1))
        {
            throw new ArgumentException("Channels must list at least one positive channel count.", nameof(options));
        }

        if (options.InputChannels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InputChannels, "InputChannels must be at least 1.");
        }

        var allStages = Enumerable.Range(0, options.Channels.Count)
            .Select(i => "features." + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        int last = ResolveStage("small_cnn", allStages, options.TruncateAfter);
        _stages = allStages[..(last + 1)];

        var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
        long inChannels = options.InputChannels;
        for (int i = 0; i <= last; i++)
        {
            long outChannels = options.Channels[i];
            var block = new List<(string, nn.Module<Tensor, Tensor>)>
            {
                ("0", nn.Conv2d(inChannels, outChannels, 3, padding: 1, bias: false)),
                ("1", new ExplicitScalarBatchNorm2d(outChannels)),
                ("2", nn.ReLU()),
            };
            if (i < options.Channels.Count - 1)
            {
                block.Add(("3", nn.MaxPool2d(2, stride: 2)));
            }

            blocks.Add((i.ToString(CultureInfo.InvariantCulture), nn.Sequential(block)));
            inChannels = outChannels;
        }

        _features = nn.Sequential(blocks);
        register_module("features", _features);
        _featureDimension = inChannels;
        if (options.ClassifierWidth(nameof(options)) is int classes)
        {
            _fc = nn.Linear(_featureDimension, classes);
            register_module("fc", _fc);
            _numClasses = classes;
        }

        TorchvisionInitialization.Apply(this);
    }

    /// <inheritdoc />
    public override string Architecture => "small_cnn";

    /// <inheritdoc />
    public override long FeatureDimension => _featureDimension;

    /// <inheritdoc />
    public override IReadOnlyList<string> StageNames => _stages;

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor>? Classifier => _fc;

    /// <inheritdoc />
    public override int? NumClasses => _numClasses;

    internal nn.Module<Tensor, Tensor> FeaturesModule => _features;

    /// <inheritdoc />
    protected override string ClassifierName => "fc";

    /// <inheritdoc />
    protected override string EmitOnnxFeatureMap(OnnxGraphBuilder graph, string input, string parameterPrefix) =>
        VisionOnnxEmitter.Sequence(graph, _features, input, parameterPrefix + "features.");

    /// <inheritdoc />
    public override Tensor FeatureMap(Tensor input) => _features.call(input);
}
