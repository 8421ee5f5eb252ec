using Microsoft.ML;
using MlNetExt.Core.Onnx;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Catalog;
using MlNetExt.Vision.Classification;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;

namespace MlNetExt.Vision.Tests.Classification;

/// <summary>A trained image classifier becomes the backbone of a new one in one call, from every form it takes.</summary>
[Collection(nameof(ImageClassifierCollection))]
public sealed class BackboneFromClassifierTests
{
    private static readonly int[] FirstClasses = [1, 5, 8];
    private static readonly int[] OtherClasses = [0, 7, 9];

    private static ImageClassifierOptions SmallCnnOptions(TransferStrategy strategy, ImageBackbone backbone, int epochs) => new()
    {
        FeatureColumnName = "Pixels", Backbone = backbone, Strategy = strategy, Epochs = epochs, ImageSize = 32, Seed = 3,
    };

    private static (MLContext Ml, IDataView Data, ImageClassifierModel Model) TrainSmallCnn()
    {
        var ml = new MLContext(3);
        var data = FashionData.Pixels(ml, train: true, 15, FirstClasses);
        data = FashionData.LabelToKey(ml, data).Transform(data);
        var backbone = ImageBackbone.FromScratch("small_cnn", new SmallCnnOptions { Channels = [8, 16, 16] });
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(SmallCnnOptions(TransferStrategy.FineTune, backbone, epochs: 2)).Fit(data);
        return (ml, data, model);
    }

    private static Dictionary<string, float[]> BackboneWeights(byte[] classifierOnnx)
    {
        using var weights = OnnxInitializerReader.Load(classifierOnnx);
        return weights.Where(w => w.Key.StartsWith("net.backbone.", StringComparison.Ordinal))
            .ToDictionary(w => w.Key["net.backbone.".Length..], w => w.Value.to_type(torch.ScalarType.Float32).data<float>().ToArray());
    }

    private static void AssertHolds(ImageBackbone backbone, Dictionary<string, float[]> expected, PixelScaling scaling)
    {
        Assert.NotNull(backbone.LoadReport);
        Assert.Empty(backbone.LoadReport!.MissingKeys);
        Assert.Empty(backbone.LoadReport.UnexpectedKeys);
        Assert.Equal(expected.Count, backbone.LoadReport.LoadedKeys.Count);
        Assert.Equal(scaling, backbone.PixelScaling);
        Assert.True(backbone.IsPretrained);
        using var network = backbone.Create();
        Assert.Null(network.Classifier);
        foreach (var (key, value) in network.state_dict())
        {
            if (expected.TryGetValue(key, out var values))
                Assert.Equal(values, value.to_type(torch.ScalarType.Float32).data<float>().ToArray());
        }
    }

    [Fact]
    public void A_trained_classifier_becomes_a_backbone_from_its_model_onnx_file_saved_zip_and_loaded_model()
    {
        var (ml, data, model) = TrainSmallCnn();
        var expected = BackboneWeights(model.GetOnnxModel("pipeline"));
        using var folder = new TempDirectory();
        string onnxPath = folder.File("classifier.onnx");
        string zipPath = folder.File("classifier.zip");
        model.ExportToOnnx(onnxPath);
        ml.Model.Save(model, data.Schema, zipPath);
        var loaded = ml.Model.Load(zipPath, out _);

        var backbones = new[]
        {
            ImageBackbone.FromClassifier(model),
            ImageBackbone.FromClassifier(onnxPath),
            ImageBackbone.FromClassifier(zipPath),
            ImageBackbone.FromClassifier(loaded),
            ImageBackbone.FromClassifier(model.Model),
        };

        foreach (var backbone in backbones)
        {
            AssertHolds(backbone, expected, PixelScaling.ImageNetMeanStd);
            Assert.Contains("head of 2 tensors dropped", backbone.Description);
        }
        using var network = backbones[2].Create();
        Assert.Equal("small_cnn", network.Architecture);
        Assert.Equal(16, network.FeatureDimension);
    }

    [Fact]
    public void The_reused_backbone_trains_a_new_classifier_and_stays_unchanged_when_frozen()
    {
        var (ml, data, model) = TrainSmallCnn();
        using var folder = new TempDirectory();
        string zipPath = folder.File("classifier.zip");
        ml.Model.Save(model, data.Schema, zipPath);

        var other = FashionData.Pixels(ml, train: true, 15, OtherClasses);
        other = FashionData.LabelToKey(ml, other).Transform(other);
        var reused = ml.MulticlassClassification.Trainers.ImageClassifier(
            SmallCnnOptions(TransferStrategy.Frozen, ImageBackbone.FromClassifier(zipPath), epochs: 3)).Fit(other);

        Assert.Equal(BackboneWeights(model.GetOnnxModel("pipeline")), BackboneWeights(reused.GetOnnxModel("pipeline")));
        var metadata = OnnxInitializerReader.Load(reused.GetOnnxModel("pipeline")).Metadata;
        Assert.Equal("small_cnn", metadata["mlnetext.backbone.architecture"]);
        Assert.Contains("\"Channels\":[8,16,16]", metadata["mlnetext.backbone.options"]);
        Assert.Equal(["Ankle boot", "Sneaker", "T-shirt/top"],
            System.Text.Json.JsonSerializer.Deserialize<string[]>(metadata["mlnetext.class_names"])!.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void The_shipped_keras_MobileNetV2_round_trips_with_its_options_and_pixel_scaling()
    {
        var ml = new MLContext(4);
        var data = FashionData.Pixels(ml, train: true, 6, FirstClasses);
        data = FashionData.LabelToKey(ml, data).Transform(data);
        var model = ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", Strategy = TransferStrategy.Frozen, Epochs = 1, ImageSize = 32, Seed = 4,
        }).Fit(data);
        using var folder = new TempDirectory();
        string onnxPath = folder.File("mobilenet.onnx");
        model.ExportToOnnx(onnxPath, "float_nchw");

        var backbone = ImageBackbone.FromClassifier(onnxPath);

        AssertHolds(backbone, BackboneWeights(model.GetOnnxModel("pipeline")), PixelScaling.MinusOneToOne);
        using var network = (MobileNetV2)backbone.Create();
        Assert.True(network.Options.KerasCompatible);
        Assert.Equal(MobileNetV2Options.StageOfBlock(10), network.Options.TruncateAfter);
    }

    [Fact]
    public void An_onnx_model_without_classifier_metadata_is_rejected_with_the_route_that_works()
    {
        torch.manual_seed(5);
        using var net = new SmallCnn(new SmallCnnOptions { Channels = [4, 8] });
        using var folder = new TempDirectory();
        string path = folder.File("plain.onnx");
        File.WriteAllBytes(path, OnnxModuleExporter.Export(net, [3, 28, 28]));

        var e = Assert.Throws<InvalidDataException>(() => ImageBackbone.FromClassifier(path));

        Assert.Contains("plain.onnx", e.Message);
        Assert.Contains("FromFile", e.Message);
    }

    [Fact]
    public void FromFile_reads_prefix_and_scaling_from_a_classifiers_metadata_and_rejects_a_contradicting_scaling()
    {
        var (_, _, model) = TrainSmallCnn();
        using var folder = new TempDirectory();
        string path = folder.File("classifier.onnx");
        model.ExportToOnnx(path);
        var options = new SmallCnnOptions { Channels = [8, 16, 16] };

        var backbone = ImageBackbone.FromFile("small_cnn", path, options);
        var e = Assert.Throws<ArgumentException>(() => ImageBackbone.FromFile("small_cnn", path, options, PixelScaling.MinusOneToOne));

        AssertHolds(backbone, BackboneWeights(model.GetOnnxModel("pipeline")), PixelScaling.ImageNetMeanStd);
        Assert.Contains("ImageNetMeanStd", e.Message);
        Assert.Equal("scaling", e.ParamName);
    }
}
