using MlNetExt.Core.Onnx;

namespace MlNetExt.Regression.Gaussian;

/// <summary>
/// Writes a trained <see cref="GaussianMlp"/> with its standardisation as one ONNX graph: raw features in,
/// mean and standard deviation in label units out.
/// </summary>
internal static class GaussianOnnxExport
{
    /// <summary>Builds the graph; input <paramref name="featureColumn"/> is float [batch, features], outputs are float [batch, coordinates].</summary>
    public static byte[] Export(GaussianMlp network, GaussianStandardization scaling, string featureColumn,
        string meanOutput, string stdDevOutput)
    {
        int features = scaling.FeatureMean.Length, coordinates = scaling.LabelMean.Length;
        var graph = new OnnxGraphBuilder("neural_gaussian");
        string x = graph.AddInput(featureColumn, OnnxDataType.Float, -1, features);

        string centred = graph.AddNode("Sub", [x, graph.AddConstant("feature_mean", scaling.FeatureMean, features)]);
        string standardised = graph.AddNode("Div", [centred, graph.AddConstant("feature_scale", scaling.FeatureScale, features)]);
        string hidden = network.HasHiddenLayers
            ? OnnxModuleExporter.Emit(graph, network.Trunk, standardised, "trunk.")
            : standardised;
        string mean = OnnxModuleExporter.Emit(graph, network.MeanHead, hidden, "mean_head.");
        string raw = OnnxModuleExporter.Emit(graph, network.StdDevHead, hidden, "std_head.");
        string softplus = graph.AddNode("Softplus", [raw]);
        string stdDev = graph.AddNode("Add", [softplus, graph.AddConstant("std_dev_floor", [network.StdDevFloor])]);

        string labelScale = graph.AddConstant("label_scale", scaling.LabelScale, coordinates);
        string scaledMean = graph.AddNode("Mul", [mean, labelScale]);
        graph.AddNode("Add", [scaledMean, graph.AddConstant("label_mean", scaling.LabelMean, coordinates)], meanOutput);
        graph.AddNode("Mul", [stdDev, labelScale], stdDevOutput);
        graph.AddOutput(meanOutput, OnnxDataType.Float, -1, coordinates);
        graph.AddOutput(stdDevOutput, OnnxDataType.Float, -1, coordinates);
        graph.AddMetadata("mlnetext.model", "NeuralGaussian");
        graph.AddMetadata("mlnetext.outputs", $"{meanOutput}: mean, {stdDevOutput}: standard deviation (label units)");
        return graph.ToBytes();
    }
}
