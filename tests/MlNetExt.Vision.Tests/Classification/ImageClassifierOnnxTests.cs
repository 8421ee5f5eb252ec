using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetExt.Vision.Classification;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Classification;

[Collection(nameof(ImageClassifierCollection))]
public sealed class ImageClassifierOnnxTests
{
    private static readonly int[] Classes = [1, 5, 8];

    [Theory]
    [InlineData(1, 28)]
    [InlineData(3, 32)]
    public void Exported_pipeline_network_matches_TorchSharp(int channels, int side)
    {
        torch.manual_seed(3);
        var backbone = ImageBackbone.Default.Create();
        var (mean, std) = ImageBackbone.Default.Normalisation();
        using var network = new ImageClassifierNetwork(backbone, ClassifierHead.Create(backbone.FeatureDimension, [16], 0.2f, 4),
            new PixelLayout(channels, side, side), 32, mean, std);
        network.eval();
        using var pixels = torch.rand(5, channels * side * side) * 255f;
        float[] expected;
        using (torch.no_grad())
            expected = torch.nn.functional.softmax(network.call(pixels), 1).data<float>().ToArray();

        var description = new ClassifierDescription(
            ImageClassifierArchitecture.Of(ImageBackbone.Default.Spec, ImageBackbone.Default.PixelScaling, [16], 0.2f, 4, network.Layout, 32),
            MlNetExt.Core.Training.TrainingHistory.Empty, new Dictionary<string, string>());
        var onnx = ImageClassifierOnnx.ForPipeline(network, "pixels", binary: false, "probabilities", "index", null, ["a", "b", "c", "d"], description);
        using var session = new InferenceSession(onnx);
        var input = new DenseTensor<float>(pixels.data<float>().ToArray(), [5, channels * side * side]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("pixels", input)]);
        var actual = results.First(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        double maxError = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(maxError < 1e-4, $"max |torch - onnx| = {maxError}");
    }

    [Fact]
    public void Standalone_onnx_file_agrees_with_the_ML_NET_pipeline()
    {
        var ml = new MLContext(4);
        var train = FashionData.Pixels(ml, train: true, 20, Classes);
        var key = FashionData.LabelToKey(ml, train);
        var trainer = ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            FeatureColumnName = "Pixels", Strategy = TransferStrategy.Frozen, Epochs = 3, ImageSize = 32, BatchSize = 16, Seed = 4,
        });
        var model = trainer.Fit(key.Transform(train));
        var rows = FashionData.Rows(train: false, 4, Classes).ToArray();
        var test = key.Transform(FashionData.Pixels(ml, train: false, 4, Classes));
        var scored = ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel").Fit(model.Model.Transform(test))
            .Transform(model.Model.Transform(test));
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        var names = scored.GetColumn<string>("PredictedText").ToArray();

        var path = Path.Combine(Path.GetTempPath(), $"standalone-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportToOnnx(path);
            using var session = new InferenceSession(path);
            var rgb = new byte[rows.Length * 28 * 28 * 3];
            for (int i = 0; i < rows.Length; i++)
                for (int p = 0; p < 28 * 28; p++)
                    for (int c = 0; c < 3; c++)
                        rgb[(i * 28 * 28 + p) * 3 + c] = rows[i].Pixels[p];
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", new DenseTensor<byte>(rgb, [rows.Length, 28, 28, 3]))]);
            var probabilities = results.First(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();
            var labels = results.First(r => r.Name == "label").AsEnumerable<string>().ToArray();

            Assert.Equal(names, labels);
            double maxError = scores.SelectMany(s => s).Zip(probabilities).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(maxError < 1e-4, $"max |pipeline - standalone| = {maxError}");
            Assert.Contains("Trouser", session.ModelMetadata.CustomMetadataMap["mlnetext.class_names"]);

            // The float NCHW variant gives the same probabilities.
            var planar = new float[rows.Length * 3 * 28 * 28];
            for (int i = 0; i < rows.Length; i++)
                for (int c = 0; c < 3; c++)
                    for (int p = 0; p < 28 * 28; p++)
                        planar[(i * 3 + c) * 28 * 28 + p] = rows[i].Pixels[p];
            using var floatSession = new InferenceSession(model.GetOnnxModel("float_nchw"));
            using var floatResults = floatSession.Run([NamedOnnxValue.CreateFromTensor("image", new DenseTensor<float>(planar, [rows.Length, 3, 28, 28]))]);
            var floatProbabilities = floatResults.First(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();
            Assert.True(probabilities.Zip(floatProbabilities).Max(p => Math.Abs(p.First - p.Second)) < 1e-5);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Binary_classifier_outputs_bool_predictions_that_BinaryClassification_Evaluate_accepts()
    {
        var ml = new MLContext(5);
        IDataView ToBinary(IDataView data) => ml.Transforms.CustomMapping<FashionData.PixelRow, BinaryLabel>(
            (input, output) => output.IsBag = input.Label == "Bag", contractName: null).Fit(data).Transform(data);
        var train = ToBinary(FashionData.Pixels(ml, train: true, 30, 1, 8));
        var test = ToBinary(FashionData.Pixels(ml, train: false, 25, 1, 8));
        var model = ml.BinaryClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            LabelColumnName = "IsBag", FeatureColumnName = "Pixels", Strategy = TransferStrategy.Frozen, Epochs = 4, ImageSize = 32,
            BatchSize = 16, Seed = 5,
        }).Fit(train);

        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test), "IsBag");

        Assert.True(metrics.Accuracy > 0.85, $"accuracy {metrics.Accuracy:F3}");
        Assert.True(metrics.AreaUnderRocCurve > 0.9, $"AUC {metrics.AreaUnderRocCurve:F3}");
        Assert.Equal(Microsoft.ML.Data.BooleanDataViewType.Instance, model.Transform(test).Schema["PredictedLabel"].Type);
    }

    private sealed class BinaryLabel
    {
        public bool IsBag { get; set; }
    }
}
