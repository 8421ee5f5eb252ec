using MlNetExt.Core.Onnx;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Classification;

/// <summary>Builds the ONNX models of a trained image classifier.</summary>
internal static class ImageClassifierOnnx
{
    /// <summary>
    /// The model inside the ML.NET pipeline: input <paramref name="pixelColumn"/> float [batch, C*H*W] in [0, 255];
    /// multiclass outputs <paramref name="probabilitiesOutput"/> [batch, K] (softmax) and <paramref name="indexOutput"/>
    /// [batch, 1] (argmax as float); binary outputs the logit, the probability and 0/1 (probability &gt; 0.5), each [batch, 1].
    /// </summary>
    public static byte[] ForPipeline(ImageClassifierNetwork network, string pixelColumn, bool binary, string probabilitiesOutput,
        string indexOutput, string? logitOutput, IReadOnlyDictionary<string, string> metadata)
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
        }
        else
        {
            int classes = (int)OutputWidth(network);
            graph.AddNode("Softmax", [logits], probabilitiesOutput, OnnxAttribute.Int("axis", 1));
            string index = graph.AddNode("ArgMax", [logits], null, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));
            graph.AddNode("Cast", [index], indexOutput, OnnxAttribute.Int("to", (long)OnnxDataType.Float));
            graph.AddOutput(probabilitiesOutput, OnnxDataType.Float, -1, classes);
            graph.AddOutput(indexOutput, OnnxDataType.Float, -1, 1);
        }
        foreach (var (key, value) in metadata)
            graph.AddMetadata(key, value);
        return graph.ToBytes();
    }

    /// <summary>Width of the head's output.</summary>
    public static long OutputWidth(ImageClassifierNetwork network)
    {
        var last = network.Head.parameters().Last();
        return last.shape[0];
    }
}
