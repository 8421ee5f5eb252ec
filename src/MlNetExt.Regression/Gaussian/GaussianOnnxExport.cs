using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Training;

namespace MlNetExt.Regression.Gaussian;

/// <summary>
/// Writes a trained <see cref="GaussianMlp"/> with its standardisation as one ONNX graph: raw features in,
/// mean and standard deviation in label units out.
/// </summary>
internal static class GaussianOnnxExport
{
    /// <summary>
    /// Builds the graph; input <paramref name="featureColumn"/> is float [batch, features]. Outputs are float
    /// [batch, coordinates]; with <paramref name="splitFirstCoordinate"/> (vector labels of two or more coordinates)
    /// each output is instead written as two outputs, name + ".0" [batch, 1] and name + ".rest" [batch, coordinates - 1],
    /// because ML.NET sees a [batch, k] output as a [1, k] tensor column and only a Concatenate of two or more columns
    /// turns that back into a plain vector of size k.
    /// </summary>
    public static byte[] Export(GaussianMlp network, GaussianStandardization scaling, GaussianArchitecture architecture,
        TrainingHistory history, string featureColumn, string meanOutput, string stdDevOutput, bool splitFirstCoordinate = false)
    {
        int features = scaling.FeatureMean.Length, coordinates = scaling.LabelMean.Length;
        var graph = new OnnxGraphBuilder("mlnetext_gaussian_regression");
        string x = graph.AddInput(featureColumn, OnnxDataType.Float, -1, features);

        string centred = graph.AddNode("Sub", [x, graph.AddConstant("feature_mean", scaling.FeatureMean, features)]);
        string standardised = graph.AddNode("Div", [centred, graph.AddConstant("feature_scale", scaling.FeatureScale, features)]);
        string hidden = network.HasHiddenLayers
            ? OnnxModuleExporter.Emit(graph, network.Trunk, standardised, architecture.StateDictPrefix + "trunk.")
            : standardised;
        string mean = OnnxModuleExporter.Emit(graph, network.MeanHead, hidden, architecture.StateDictPrefix + "mean_head.");
        string raw = OnnxModuleExporter.Emit(graph, network.StdDevHead, hidden, architecture.StateDictPrefix + "std_head.");
        string softplus = graph.AddNode("Softplus", [raw]);
        string stdDev = graph.AddNode("Add", [softplus, graph.AddConstant("std_dev_floor", [network.StdDevFloor])]);

        string labelScale = graph.AddConstant("label_scale", scaling.LabelScale, coordinates);
        string scaledMean = graph.AddNode("Mul", [mean, labelScale]);
        string labelMean = graph.AddConstant("label_mean", scaling.LabelMean, coordinates);
        if (!splitFirstCoordinate)
        {
            graph.AddNode("Add", [scaledMean, labelMean], meanOutput);
            graph.AddNode("Mul", [stdDev, labelScale], stdDevOutput);
            graph.AddOutput(meanOutput, OnnxDataType.Float, -1, coordinates);
            graph.AddOutput(stdDevOutput, OnnxDataType.Float, -1, coordinates);
        }
        else
        {
            if (coordinates < 2)
                throw new ArgumentException("Splitting needs at least two coordinates.", nameof(splitFirstCoordinate));
            AddSplitOutputs(graph, graph.AddNode("Add", [scaledMean, labelMean]), meanOutput, coordinates);
            AddSplitOutputs(graph, graph.AddNode("Mul", [stdDev, labelScale]), stdDevOutput, coordinates);
        }
        var outputs = splitFirstCoordinate
            ? new OnnxTensorDescription[]
            {
                new(meanOutput + ".0", "float", [-1, 1], "mean of the first label coordinate (label units)"),
                new(meanOutput + ".rest", "float", [-1, coordinates - 1], "means of the other label coordinates (label units)"),
                new(stdDevOutput + ".0", "float", [-1, 1], "standard deviation of the first label coordinate (label units)"),
                new(stdDevOutput + ".rest", "float", [-1, coordinates - 1], "standard deviations of the other label coordinates (label units)"),
            }
            :
            [
                new(meanOutput, "float", [-1, coordinates], "mean per label coordinate (label units)"),
                new(stdDevOutput, "float", [-1, coordinates], "standard deviation per label coordinate (label units)"),
            ];
        OnnxModelMetadata.Write(graph, new OnnxModelDescription(NeuralGaussianTransformer.Kind,
            [new(featureColumn, "float", [-1, features], "features")], outputs, MetadataJson.Serialize(architecture), history));
        return graph.ToBytes();
    }

    /// <summary>Writes value [batch, k] as outputs name.0 = [:, 0:1] and name.rest = [:, 1:k].</summary>
    private static void AddSplitOutputs(OnnxGraphBuilder graph, string value, string name, int coordinates)
    {
        string axes = graph.AddConstant("axis1", [1L], 1);
        graph.AddNode("Slice", [value, graph.AddConstant("start0", [0L], 1), graph.AddConstant("end1", [1L], 1), axes], name + ".0");
        graph.AddNode("Slice", [value, graph.AddConstant("start1", [1L], 1), graph.AddConstant("endk", [(long)coordinates], 1), axes], name + ".rest");
        graph.AddOutput(name + ".0", OnnxDataType.Float, -1, 1);
        graph.AddOutput(name + ".rest", OnnxDataType.Float, -1, coordinates - 1);
    }
}
