using Microsoft.ML.OnnxRuntime;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Onnx.Protobuf;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Core.Tests.Onnx;

public class OnnxGraphBuilderTests
{
    private static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"mlnetext-onnx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void Saved_export_loads_in_OnnxRuntime_with_opset_17_and_symbolic_batch_dimension()
    {
        using var mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3));
        byte[] bytes = OnnxModuleExporter.Export(mlp, [4], inputName: "features", outputName: "scores");
        string dir = TempDirectory();
        try
        {
            string path = Path.Combine(dir, "mlp.onnx");
            File.WriteAllBytes(path, bytes);

            using var session = new InferenceSession(path);
            var input = session.InputMetadata["features"];
            var output = session.OutputMetadata["scores"];
            Assert.Equal([-1, 4], input.Dimensions);
            Assert.Equal("batch", input.SymbolicDimensions[0]);
            Assert.Equal([-1, 3], output.Dimensions);
            Assert.Equal("batch", output.SymbolicDimensions[0]);

            var model = ModelProto.Parser.ParseFrom(bytes);
            Assert.True(model.IrVersion >= 8);
            var opset = Assert.Single(model.OpsetImport);
            Assert.Equal("", opset.Domain);
            Assert.True(opset.Version >= 17);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Metadata_round_trips_through_OnnxRuntime()
    {
        using var linear = nn.Linear(2, 1);
        var metadata = new Dictionary<string, string> { ["labels"] = "cat,dog", ["mlnetext.task"] = "regression", ["unicode"] = "Zürich ✓" };

        byte[] bytes = OnnxModuleExporter.Export(linear, [2], metadata: metadata);

        using var session = new InferenceSession(bytes);
        var custom = session.ModelMetadata.CustomMetadataMap;
        foreach (var (key, value) in metadata)
            Assert.Equal(value, custom[key]);
        Assert.Equal("MlNetExt", session.ModelMetadata.ProducerName);
    }

    [Fact]
    public void Save_replaces_existing_file_and_leaves_no_temporary_file()
    {
        var graph = new OnnxGraphBuilder();
        string x = graph.AddInput("x", OnnxDataType.Float, -1, 2);
        graph.AddOutput(graph.AddNode("Neg", [x], "y"), OnnxDataType.Float, -1, 2);
        string dir = TempDirectory();
        try
        {
            string path = Path.Combine(dir, "neg.onnx");
            File.WriteAllText(path, "old contents");

            graph.Save(path);

            Assert.Equal(graph.ToBytes(), File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(dir));
            using var session = new InferenceSession(path);
            using var value = OrtValue.CreateTensorValueFromMemory(new float[] { 1, -2, 3, 4 }, [2, 2]);
            using var outputs = session.Run(new RunOptions(), ["x"], [value], ["y"]);
            Assert.Equal([-1f, 2f, -3f, -4f], outputs[0].GetTensorDataAsSpan<float>().ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Initializers_of_every_supported_type_keep_their_values()
    {
        var graph = new OnnxGraphBuilder();
        string x = graph.AddInput("x", OnnxDataType.Float, 1);
        using var doubles = torch.tensor(new double[] { 1.5, -2.25, 1e300 }, [3]);
        using var longs = torch.tensor(new long[] { long.MaxValue, -7, 0, 1L << 40 }, [2, 2]);
        using var bytes = torch.tensor(new byte[] { 0, 200, 255 }, [3]);
        using var floats = torch.arange(12, dtype: ScalarType.Float32).reshape(3, 4).t();   // non-contiguous view
        graph.AddOutput(graph.AddNode("Identity", [graph.AddInitializer("d", doubles)], "d_out"), OnnxDataType.Double, 3);
        graph.AddOutput(graph.AddNode("Identity", [graph.AddInitializer("l", longs)], "l_out"), OnnxDataType.Int64, 2, 2);
        graph.AddOutput(graph.AddNode("Identity", [graph.AddInitializer("b", bytes)], "b_out"), OnnxDataType.UInt8, 3);
        graph.AddOutput(graph.AddNode("Add", [graph.AddInitializer("f", floats), x], "f_out"), OnnxDataType.Float, 4, 3);
        graph.AddOutput(graph.AddNode("Identity", [graph.AddConstant("c", new long[] { 3, 4 }, 2)], "c_out"), OnnxDataType.Int64, 2);
        graph.AddOutput(graph.AddNode("Identity", [graph.AddConstant("s", new[] { "a", "ü" }, 2)], "s_out"), OnnxDataType.String, 2);

        using var session = new InferenceSession(graph.ToBytes());
        using var input = OrtValue.CreateTensorValueFromMemory(new float[] { 0.5f }, [1]);
        using var outputs = session.Run(new RunOptions(), ["x"], [input], ["d_out", "l_out", "b_out", "f_out", "c_out", "s_out"]);

        Assert.Equal([1.5, -2.25, 1e300], outputs[0].GetTensorDataAsSpan<double>().ToArray());
        Assert.Equal([long.MaxValue, -7, 0, 1L << 40], outputs[1].GetTensorDataAsSpan<long>().ToArray());
        Assert.Equal([0, 200, 255], outputs[2].GetTensorDataAsSpan<byte>().ToArray());
        Assert.Equal(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }.Select(v => v + 0.5f), outputs[3].GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal([3L, 4L], outputs[4].GetTensorDataAsSpan<long>().ToArray());
        Assert.Equal(["a", "ü"], outputs[5].GetStringTensorAsArray());
    }

    [Fact]
    public void Names_are_made_unique_and_taken_names_are_rejected()
    {
        var graph = new OnnxGraphBuilder();
        string x = graph.AddInput("x", OnnxDataType.Float, -1, 2);
        using var w = torch.ones(2);

        Assert.Equal("fc.weight", graph.AddInitializer("fc.weight", w));
        Assert.Equal("fc.weight_1", graph.AddInitializer("fc.weight", w));
        Assert.Equal("Relu", graph.AddNode("Relu", [x]));
        Assert.Equal("Relu_1", graph.AddNode("Relu", [x]));
        Assert.Throws<ArgumentException>(() => graph.AddInput("x", OnnxDataType.Float, 1));
        Assert.Throws<ArgumentException>(() => graph.AddNode("Relu", [x], output: "Relu"));
        var missing = Assert.Throws<ArgumentException>(() => graph.AddNode("Relu", ["nowhere"]));
        Assert.Contains("'nowhere'", missing.Message);
    }

    [Fact]
    public void Export_output_may_be_named_like_a_parameter()
    {
        using var linear = nn.Linear(3, 2);

        byte[] onnx = OnnxModuleExporter.Export(linear, [3], inputName: "weight", outputName: "bias");

        Assert.True(OnnxParity.MaxRelativeError(linear, onnx, Parity.RandomInput([2, 3], seed: 4), "weight") <= Parity.Tolerance);
        var initializers = ModelProto.Parser.ParseFrom(onnx).Graph.Initializer.Select(t => t.Name);
        Assert.Equal(["weight_1", "bias_1"], initializers);
    }

    [Fact]
    public void Opset_below_17_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxGraphBuilder(opset: 13));
    }
}
