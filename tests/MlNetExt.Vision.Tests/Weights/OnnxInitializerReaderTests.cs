using Google.Protobuf;
using MlNetExt.Vision.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MlNetExt.Vision.Tests.Weights;

public sealed class OnnxInitializerReaderTests
{
    [Fact]
    public void Reads_raw_float_int64_and_packed_initializers_by_name()
    {
        var rawFloats = new float[] { 1.5f, -2f, 3.25f, 0f, 5f, 6f };
        var raw = new byte[rawFloats.Length * 4];
        Buffer.BlockCopy(rawFloats, 0, raw, 0, raw.Length);
        var model = Model(
            Tensor("conv1.weight", 1, new long[] { 2, 3 }, t => t.WriteBytes(9, raw)),
            Tensor("fc.bias", 1, new long[] { 3 }, t => t.WritePackedFloats(4, new[] { 0.1f, 0.2f, 0.3f })),
            Tensor("bn1.num_batches_tracked", 7, Array.Empty<long>(), t => t.WritePackedLongs(7, new[] { 9L })),
            Tensor("half", 10, new long[] { 1 }, t => t.WritePackedInts(5, new[] { 0x3C00 })));

        using var set = OnnxInitializerReader.Load(model);

        Assert.Equal(new[] { "conv1.weight", "fc.bias", "bn1.num_batches_tracked", "half" }, set.Keys);
        Assert.Equal(new long[] { 2, 3 }, set["conv1.weight"].shape);
        Assert.Equal(rawFloats, set["conv1.weight"].data<float>().ToArray());
        Assert.Equal(new[] { 0.1f, 0.2f, 0.3f }, set["fc.bias"].data<float>().ToArray());
        Assert.Equal(9L, set["bn1.num_batches_tracked"].item<long>());
        Assert.Equal(1f, set["half"].to_type(ScalarType.Float32).item<float>());
    }

    [Fact]
    public void Initializers_load_into_a_module_by_name()
    {
        torch.manual_seed(31);
        using var linear = torch.nn.Linear(3, 2);
        var w = linear.state_dict()["weight"].data<float>().ToArray();
        var model = Model(
            Tensor("weight", 1, new long[] { 2, 3 }, t => t.WritePackedFloats(4, w.Select(v => v * 2).ToArray())),
            Tensor("bias", 1, new long[] { 2 }, t => t.WritePackedFloats(4, new[] { 7f, 8f })));
        using var set = OnnxInitializerReader.Load(model);

        var report = linear.LoadWeights(set);

        Assert.True(report.IsExactMatch);
        Assert.Equal(w.Select(v => v * 2).ToArray(), linear.state_dict()["weight"].data<float>().ToArray());
        Assert.Equal(new[] { 7f, 8f }, linear.state_dict()["bias"].data<float>().ToArray());
    }

    [Fact]
    public void Non_onnx_bytes_are_rejected()
    {
        Assert.Throws<InvalidDataException>(() => OnnxInitializerReader.Load(new byte[] { 0x08, 0x07 }, "x.onnx"));
    }

    [Fact]
    public void String_initializers_are_skipped_and_model_metadata_is_read()
    {
        var graph = new MlNetExt.Core.Onnx.OnnxGraphBuilder();
        string input = graph.AddInput("x", MlNetExt.Core.Onnx.OnnxDataType.Float, -1, 2);
        string names = graph.AddConstant("class_names", new[] { "cat", "dog" }, 2);
        string scale = graph.AddConstant("scale", new[] { 2f, 3f }, 2);
        graph.AddNode("Mul", [input, scale], "y");
        graph.AddNode("Identity", [names], "labels");
        graph.AddOutput("y", MlNetExt.Core.Onnx.OnnxDataType.Float, -1, 2);
        graph.AddOutput("labels", MlNetExt.Core.Onnx.OnnxDataType.String, 2);
        graph.AddMetadata("mlnetext.model", "image_classifier");

        using var set = OnnxInitializerReader.Load(graph.ToBytes(), "model.onnx");

        Assert.Equal(new[] { "scale" }, set.Keys);
        Assert.Equal(new[] { 2f, 3f }, set["scale"].data<float>().ToArray());
        Assert.Equal("image_classifier", set.Metadata["mlnetext.model"]);
    }

    [Theory]
    [InlineData(12)]   // uint32: numeric, but not a tensor type TorchSharp has
    [InlineData(99)]   // no ONNX type at all
    public void An_unsupported_data_type_names_the_file_and_the_initializer(int dataType)
    {
        var model = Model(Tensor("odd.weight", dataType, new long[] { 1 }, t => t.WriteBytes(9, new byte[4])));

        var e = Assert.Throws<InvalidDataException>(() => OnnxInitializerReader.Load(model, "odd.onnx"));

        Assert.Contains("'odd.onnx'", e.Message);
        Assert.Contains("'odd.weight'", e.Message);
        Assert.Contains(dataType.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void A_shape_whose_size_overflows_names_the_file_and_the_initializer()
    {
        var model = Model(Tensor("huge.weight", 1, new long[] { 1L << 40, 1L << 40 }, t => t.WriteBytes(9, new byte[4])));

        var e = Assert.Throws<InvalidDataException>(() => OnnxInitializerReader.Load(model, "huge.onnx"));

        Assert.Contains("'huge.onnx'", e.Message);
        Assert.Contains("'huge.weight'", e.Message);
        Assert.Contains("overflows", e.Message);
    }

    [Fact]
    public void A_negative_dimension_is_rejected()
    {
        var model = Model(Tensor("bad.weight", 1, new long[] { -1, 4 }, t => t.WriteBytes(9, new byte[16])));

        var e = Assert.Throws<InvalidDataException>(() => OnnxInitializerReader.Load(model, "bad.onnx"));

        Assert.Contains("'bad.weight'", e.Message);
        Assert.Contains("negative", e.Message);
    }

    [Fact]
    public void Value_count_that_does_not_fit_the_shape_is_rejected()
    {
        var model = Model(Tensor("fc.bias", 1, new long[] { 3 }, t => t.WritePackedFloats(4, new[] { 1f, 2f })));

        var e = Assert.Throws<InvalidDataException>(() => OnnxInitializerReader.Load(model, "short.onnx"));

        Assert.Contains("'fc.bias' has 2 values for shape [3]", e.Message);
    }

    // --- a minimal protobuf writer for ModelProto { graph (7): GraphProto { initializer (5): TensorProto } } ---

    internal static byte[] Model(params byte[][] tensors)
    {
        var graph = Message(o =>
        {
            o.WriteTag(2, WireFormat.WireType.LengthDelimited); // GraphProto.name; a node-free graph
            o.WriteString("g");
            foreach (var t in tensors)
            {
                o.WriteTag(5, WireFormat.WireType.LengthDelimited);
                o.WriteBytes(ByteString.CopyFrom(t));
            }
        });
        return Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt64(8);
            o.WriteTag(7, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(graph));
        });
    }

    internal static byte[] Tensor(string name, int dataType, long[] dims, Action<TensorWriter> data) => Message(o =>
    {
        foreach (var d in dims)
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt64(d);
        }

        o.WriteTag(2, WireFormat.WireType.Varint);
        o.WriteInt32(dataType);
        o.WriteTag(8, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        data(new TensorWriter(o));
    });

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }

    internal sealed class TensorWriter
    {
        private readonly CodedOutputStream _o;

        public TensorWriter(CodedOutputStream o) => _o = o;

        public void WriteBytes(int field, byte[] bytes)
        {
            _o.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _o.WriteBytes(ByteString.CopyFrom(bytes));
        }

        public void WritePackedFloats(int field, float[] values) => WriteBytes(field, Message(o => { foreach (var v in values) o.WriteFloat(v); }));

        public void WritePackedLongs(int field, long[] values) => WriteBytes(field, Message(o => { foreach (var v in values) o.WriteInt64(v); }));

        public void WritePackedInts(int field, int[] values) => WriteBytes(field, Message(o => { foreach (var v in values) o.WriteInt32(v); }));
    }
}
