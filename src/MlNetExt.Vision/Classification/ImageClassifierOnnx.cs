using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Classification;

/// <summary>Builds the ONNX models of a trained image classifier.</summary>
internal static class ImageClassifierOnnx
{
    /// <summary>
    /// The model inside the ML.NET pipeline: input <paramref name="pixelColumn"/> float [batch, C*H*W] in [0, 255];
    /// multiclass outputs <paramref name="probabilitiesOutput"/> [batch, K] (softmax) and <paramref name="indexOutput"/>
    /// [batch, 1] (argmax as float), with <paramref name="classNames"/> recorded as the probabilities' slot names (ML.NET's
    /// <c>mlnet.{output}.SlotNames</c> convention, which ApplyOnnxModel reads); binary outputs the logit, the probability
    /// and 0/1 (probability &gt; 0.5), each [batch, 1].
    /// </summary>
    public static byte[] ForPipeline(ImageClassifierNetwork network, string pixelColumn, bool binary, string probabilitiesOutput,
        string indexOutput, string? logitOutput, IReadOnlyList<string> classNames, ClassifierDescription description)
    {
        var graph = new OnnxGraphBuilder("mlnetext_image_classifier");
        string input = graph.AddInput(pixelColumn, OnnxDataType.Float, -1, network.Layout.Length);
        string logits;
        using (no_grad())
            logits = network.EmitOnnx(graph, input, "");
        if (binary)
        {
            graph.AddNode("Identity", [logits], logitOutput!);
            string probability = graph.AddNode("Sigmoid", [logits], probabilitiesOutput);
            string positive = graph.AddNode("Greater", [probability, graph.AddConstant("half", new[] { 0.5f })]);
            graph.AddNode("Cast", [positive], indexOutput, OnnxAttribute.Int("to", (long)OnnxDataType.Float));
            graph.AddOutput(logitOutput!, OnnxDataType.Float, -1, 1);
            graph.AddOutput(probabilitiesOutput, OnnxDataType.Float, -1, 1);
            graph.AddOutput(indexOutput, OnnxDataType.Float, -1, 1);
            description.Write(graph, [Pixels(pixelColumn, network)],
            [
                new OnnxTensorDescription(logitOutput!, "float", [-1, 1], "logit of the positive class"),
                new OnnxTensorDescription(probabilitiesOutput, "float", [-1, 1], "probability of the positive class"),
                new OnnxTensorDescription(indexOutput, "float", [-1, 1], "1 when the probability is over 0.5, else 0"),
            ]);
        }
        else
        {
            int classes = (int)OutputWidth(network);
            graph.AddNode("Softmax", [logits], probabilitiesOutput, OnnxAttribute.Int("axis", 1));
            string index = graph.AddNode("ArgMax", [logits], null, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));
            graph.AddNode("Cast", [index], indexOutput, OnnxAttribute.Int("to", (long)OnnxDataType.Float));
            graph.AddOutput(probabilitiesOutput, OnnxDataType.Float, -1, classes);
            graph.AddOutput(indexOutput, OnnxDataType.Float, -1, 1);
            graph.AddSlotNames(probabilitiesOutput, classNames);
            description.Write(graph, [Pixels(pixelColumn, network)],
            [
                new OnnxTensorDescription(probabilitiesOutput, "float", [-1, classes], "class probabilities in key order"),
                new OnnxTensorDescription(indexOutput, "float", [-1, 1], "index of the most probable class"),
            ]);
        }
        return graph.ToBytes();
    }

    private static OnnxTensorDescription Pixels(string pixelColumn, ImageClassifierNetwork network) =>
        new(pixelColumn, "float", [-1, network.Layout.Length],
            $"raw pixels 0..255, planar {network.Layout.Channels} x {network.Layout.Height} x {network.Layout.Width}");

    /// <summary>Width of the head's output.</summary>
    public static long OutputWidth(ImageClassifierNetwork network)
    {
        var last = network.Head.parameters().Last();
        return last.shape[0];
    }
}

/// <summary>Builds the standalone ONNX model: raw RGB images of any size to class probabilities and the class name.</summary>
internal static class StandaloneImageClassifierOnnx
{
    /// <summary>
    /// Input <c>image</c> (see <see cref="OnnxImageLayout"/>; batch, height and width dynamic), outputs
    /// <c>probabilities</c> float [batch, K] and <c>label</c> string [batch]; class names and preprocessing in metadata.
    /// </summary>
    public static byte[] Build(ImageClassifierNetwork network, bool binary, IReadOnlyList<string> classNames, OnnxImageLayout layout,
        ClassifierDescription description)
    {
        var graph = new OnnxGraphBuilder("mlnetext_image_classifier_standalone");
        string x;
        if (layout == OnnxImageLayout.UInt8Nhwc)
        {
            string input = graph.AddInput("image", OnnxDataType.UInt8, -1, -1, -1, 3);
            x = graph.AddNode("Cast", [input], null, OnnxAttribute.Int("to", (long)OnnxDataType.Float));
            x = graph.AddNode("Transpose", [x], null, OnnxAttribute.Ints("perm", 0, 3, 1, 2));
        }
        else
        {
            x = graph.AddInput("image", OnnxDataType.Float, -1, 3, -1, -1);
        }
        x = ImageClassifierNetwork.EmitResize(graph, x, network.ImageSize);
        x = graph.AddNode("Div", [x, graph.AddConstant("pixel_range", new[] { 255f })]);
        string logits;
        using (no_grad())
            logits = network.EmitOnnxFromImages(graph, x, "");
        string probabilities;
        if (binary)
        {
            string positive = graph.AddNode("Sigmoid", [logits]);
            string negative = graph.AddNode("Sub", [graph.AddConstant("one", new[] { 1f }), positive]);
            probabilities = graph.AddNode("Concat", [negative, positive], "probabilities", OnnxAttribute.Int("axis", 1));
        }
        else
        {
            probabilities = graph.AddNode("Softmax", [logits], "probabilities", OnnxAttribute.Int("axis", 1));
        }
        string index = graph.AddNode("ArgMax", [probabilities], null, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
        string names = graph.AddConstant("class_names", classNames.ToArray(), classNames.Count);
        graph.AddNode("Gather", [names, index], "label", OnnxAttribute.Int("axis", 0));
        graph.AddOutput("probabilities", OnnxDataType.Float, -1, classNames.Count);
        graph.AddOutput("label", OnnxDataType.String, -1);
        bool bytes = layout == OnnxImageLayout.UInt8Nhwc;
        description.Write(graph,
            [
                bytes
                    ? new OnnxTensorDescription("image", "uint8", [-1, -1, -1, 3], "RGB images 0..255, NHWC, any size")
                    : new OnnxTensorDescription("image", "float", [-1, 3, -1, -1], "RGB images 0..255, NCHW, any size"),
            ],
            [
                new OnnxTensorDescription("probabilities", "float", [-1, classNames.Count], "class probabilities"),
                new OnnxTensorDescription("label", "string", [-1], "the most probable class's name"),
            ],
            bytes
                ? "image: uint8 [batch, height, width, 3] RGB 0..255, resized bilinearly (half-pixel) to image_size"
                : "image: float [batch, 3, height, width] RGB 0..255, resized bilinearly (half-pixel) to image_size");
        return graph.ToBytes();
    }
}
