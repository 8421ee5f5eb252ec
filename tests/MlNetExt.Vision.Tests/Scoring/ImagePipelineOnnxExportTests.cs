using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetExt.Core.Onnx.Protobuf;
using MlNetExt.Vision.Backbones;
using MlNetExt.Vision.Classification;
using MlNetExt.Vision.Tests.Classification;
using Xunit;

namespace MlNetExt.Vision.Tests.Scoring;

/// <summary>
/// <c>DeepLearning().Model.ExportToOnnx</c> on an image classifier pipeline with key mapping on both sides (label to key,
/// the classifier, predicted key back to the class name): ONNX Runtime on the one exported file gives the pipeline's
/// probabilities and predicted names. The pipeline starts from the pixel vector column: ONNX Runtime is fed raw pixels,
/// as ML.NET's converter does not export image loading from file paths.
/// </summary>
[Collection(nameof(ImageClassifierCollection))]
public sealed class ImagePipelineOnnxExportTests
{
    private static readonly int[] Classes = [1, 5, 8];

    [Fact]
    public void Image_classifier_pipeline_with_key_mapping_exports_to_one_onnx_model_that_scores_as_the_pipeline()
    {
        var ml = new MLContext(2);
        var train = FashionData.Pixels(ml, train: true, 20, Classes);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.DeepLearning().MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
            {
                FeatureColumnName = "Pixels",
                Backbone = ImageBackbone.FromScratch("small_cnn", new SmallCnnOptions { Channels = [8, 16] }),
                Strategy = TransferStrategy.FineTune,
                Epochs = 2,
                ImageSize = 32,
                BatchSize = 16,
                LearningRate = 3e-3f,
                Seed = 2,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"))
            .Fit(train);
        var rows = FashionData.Rows(train: false, 5, Classes).ToArray();
        var scored = pipeline.Transform(FashionData.Pixels(ml, train: false, 5, Classes));
        float[][] expectedScores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        string[] expectedNames = scored.GetColumn<string>("PredictedName").ToArray();

        using var stream = new MemoryStream();
        ml.DeepLearning().Model.ExportToOnnx(pipeline, train, stream);
        using var session = new InferenceSession(stream.ToArray());
        var inputs = session.InputMetadata.Keys.Select(name => name switch
        {
            "Pixels" => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(
                rows.SelectMany(r => r.Pixels.Select(b => (float)b)).ToArray(), [rows.Length, 28 * 28])),
            "Label" => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(rows.Select(r => r.Label).ToArray(), [rows.Length, 1])),
            _ => throw new InvalidOperationException($"unexpected input '{name}'"),
        }).ToList();
        // Declared as the tensor is, [N, classes], not with the extra axis ML.NET's converter gives a column it passes through.
        var declared = ModelProto.Parser.ParseFrom(stream.ToArray()).Graph.Output.Single(o => o.Name == "Score.output").Type.TensorType.Shape.Dim;
        Assert.Equal(2, declared.Count);
        Assert.Equal(Classes.Length, declared[1].DimValue);
        using var results = session.Run(inputs);
        float[] scores = results.Single(r => r.Name == "Score.output").AsTensor<float>().ToArray();
        string[] names = results.Single(r => r.Name == "PredictedName.output").AsTensor<string>().ToArray();

        Assert.Equal(rows.Length * Classes.Length, scores.Length);
        double worst = 0;
        for (int row = 0; row < rows.Length; row++)
        {
            for (int c = 0; c < Classes.Length; c++)
            {
                float expected = expectedScores[row][c], actual = scores[row * Classes.Length + c];
                worst = Math.Max(worst, Math.Abs(expected - actual) / Math.Max(Math.Abs(expected), 1e-3));
            }
        }
        Assert.True(worst <= 1e-5, $"largest relative difference {worst:G3}");
        Assert.Equal(expectedNames, names);
        // The check can fail: the predictions are not all one class.
        Assert.True(expectedNames.Distinct().Count() > 1, $"every prediction is '{expectedNames[0]}'");
    }
}
