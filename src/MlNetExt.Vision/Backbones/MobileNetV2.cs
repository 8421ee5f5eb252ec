using System.Globalization;
using MlNetExt.Core.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Backbones;

/// <summary>
/// torchvision's MobileNetV2 (width 1.0) with torchvision's parameter names: <c>features.0</c> is the stem
/// conv-bn-relu6 (32 channels), <c>features.1</c> .. <c>features.17</c> the 17 inverted-residual blocks (Keras
/// <c>block_0</c> .. <c>block_16</c>), <c>features.18</c> the 1x1 conv to 1280 channels, <c>classifier.1</c> the
/// linear layer. See <see cref="MobileNetV2Options.KerasCompatible"/> for Keras' padding and epsilon.
/// </summary>
public sealed class MobileNetV2 : BackboneNetwork
{
    /// <summary>(expansion t, output channels c, repeats n, first stride s), as in the paper's table 2.</summary>
    private static readonly (int T, int C, int N, int S)[] InvertedResidualSetting =
    {
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    };

    private const int StemChannels = 32;
    private const int LastChannels = 1280;

    private readonly nn.Module<Tensor, Tensor> _features;
    private readonly nn.Module<Tensor, Tensor>? _classifier;
    private readonly long _featureDimension;
    private readonly string[] _stages;
    private readonly int? _numClasses;
    private readonly List<nn.Module<Tensor, Tensor>> _featureModules = new();

    /// <summary>Builds MobileNetV2 from <paramref name="options"/>.</summary>
    public MobileNetV2(MobileNetV2Options? options = null) : base(nameof(MobileNetV2))
    {
        options ??= new MobileNetV2Options();
        if (options.InputChannels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InputChannels, "InputChannels must be at least 1.");
        }

        Options = options;
        var allStages = Enumerable.Range(0, MobileNetV2Options.BlockCount + 2)
            .Select(i => "features." + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        int last = ResolveStage("mobilenet_v2", allStages, options.TruncateAfter);
        _stages = allStages[..(last + 1)];
        double eps = options.EffectiveBatchNormEpsilon;
        bool keras = options.KerasCompatible;

        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("0", new ConvNormActivation(options.InputChannels, StemChannels, 3, 2, 1, ConvActivation.ReLU6, eps, keras)),
        };
        long channels = StemChannels;
        foreach (var (t, c, n, s) in InvertedResidualSetting)
        {
            for (int i = 0; i < n && layers.Count <= last; i++)
            {
                layers.Add((layers.Count.ToString(CultureInfo.InvariantCulture),
                    new InvertedResidual(channels, c, i == 0 ? s : 1, t, eps, keras)));
                channels = c;
            }
        }

        if (layers.Count <= last)
        {
            layers.Add((layers.Count.ToString(CultureInfo.InvariantCulture),
                new ConvNormActivation(channels, LastChannels, 1, 1, 1, ConvActivation.ReLU6, eps, false)));
            channels = LastChannels;
        }

        _featureModules.AddRange(layers.Select(l => l.Item2));
        _features = nn.Sequential(layers);
        register_module("features", _features);
        _featureDimension = channels;

        if (options.ClassifierWidth(nameof(options)) is int classes)
        {
            _classifier = nn.Sequential(
                ("0", (nn.Module<Tensor, Tensor>)nn.Dropout(options.Dropout)),
                ("1", nn.Linear(_featureDimension, classes)));
            register_module("classifier", _classifier);
            _numClasses = classes;
        }

        TorchvisionInitialization.Apply(this, linearStd: 0.01);
    }

    /// <summary>The options this network was built with.</summary>
    public MobileNetV2Options Options { get; }

    /// <inheritdoc />
    public override string Architecture => "mobilenet_v2";

    /// <inheritdoc />
    public override long FeatureDimension => _featureDimension;

    /// <inheritdoc />
    public override IReadOnlyList<string> StageNames => _stages;

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor>? Classifier => _classifier;

    /// <inheritdoc />
    public override int? NumClasses => _numClasses;

    internal IReadOnlyList<nn.Module<Tensor, Tensor>> FeatureModules => _featureModules;

    /// <inheritdoc />
    protected override string ClassifierName => "classifier";

    /// <inheritdoc />
    protected override string EmitOnnxFeatureMap(OnnxGraphBuilder graph, string input, string parameterPrefix) =>
        VisionOnnxEmitter.Sequence(graph, _features, input, parameterPrefix + "features.");

    /// <inheritdoc />
    public override Tensor FeatureMap(Tensor input) => _features.call(input);
}
