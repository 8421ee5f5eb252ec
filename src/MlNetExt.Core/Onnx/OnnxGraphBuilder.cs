using Google.Protobuf;
using MlNetExt.Core.IO;
using MlNetExt.Core.Onnx.Protobuf;
using static TorchSharp.torch;

namespace MlNetExt.Core.Onnx;

/// <summary>
/// Builds an ONNX model (IR version 8, default-domain opset <see cref="Opset"/>) node by node and
/// serializes it. Value names are unique within the graph: <see cref="UniqueName"/> hands out fresh ones.
/// </summary>
/// <remarks>Not thread-safe: build a graph from one thread.</remarks>
public sealed class OnnxGraphBuilder
{
    /// <summary>The ONNX IR version the builder writes.</summary>
    public const long IrVersion = 8;

    /// <summary>The symbolic name given to a dynamic leading (batch) dimension.</summary>
    public const string BatchDimensionName = "batch";

    private readonly GraphProto _graph;
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reservedOutputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);
    private readonly List<StringStringEntryProto> _metadata = new();
    private bool _usesMlDomain;

    /// <summary>Starts an empty graph.</summary>
    /// <param name="graphName">The graph's name, stored in the model.</param>
    /// <param name="opset">Default-domain opset version; at least 17 (the exporters rely on opset-17 operators).</param>
    public OnnxGraphBuilder(string graphName = "mlnetext", int opset = 17)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        if (opset < 17)
            throw new ArgumentOutOfRangeException(nameof(opset), opset, "The ONNX writer needs opset 17 or later.");
        _graph = new GraphProto { Name = graphName };
        Opset = opset;
    }

    /// <summary>Default-domain opset version the model declares.</summary>
    public int Opset { get; }

    /// <summary>
    /// Declares a graph input. A dimension of -1 is dynamic: the first is named "batch", later ones
    /// "dim{index}".
    /// </summary>
    /// <param name="name">Input name; must not be taken already.</param>
    /// <param name="type">Element type.</param>
    /// <param name="dims">Shape; -1 marks a dynamic dimension.</param>
    /// <returns>The input's value name (<paramref name="name"/>).</returns>
    public string AddInput(string name, OnnxDataType type, params long[] dims)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(dims);
        if (!_usedNames.Add(name))
            throw new ArgumentException($"The graph already has a value named '{name}'.", nameof(name));
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>
    /// Declares the graph value <paramref name="valueName"/> as a graph output. A dimension of -1 is
    /// dynamic (named as in <see cref="AddInput"/>).
    /// </summary>
    /// <param name="valueName">An existing value (node output, input or initializer).</param>
    /// <param name="type">Element type.</param>
    /// <param name="dims">Shape; -1 marks a dynamic dimension.</param>
    public void AddOutput(string valueName, OnnxDataType type, params long[] dims)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(valueName);
        ArgumentNullException.ThrowIfNull(dims);
        if (!_usedNames.Contains(valueName))
            throw new ArgumentException($"The graph has no value named '{valueName}'.", nameof(valueName));
        if (_graph.Output.Any(o => o.Name == valueName))
            throw new ArgumentException($"'{valueName}' is already a graph output.", nameof(valueName));
        _graph.Output.Add(ValueInfo(valueName, type, dims));
    }

    /// <summary>
    /// Adds a weight tensor as an initializer (copied to CPU, contiguous, little-endian raw data).
    /// Supported element types: float32, float64, int64, uint8.
    /// </summary>
    /// <param name="name">Preferred name (usually a state_dict name); a suffix is added if it is taken.</param>
    /// <param name="tensor">The values.</param>
    /// <returns>The initializer's value name.</returns>
    public string AddInitializer(string name, Tensor tensor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(tensor);
        string unique = UniqueName(name);
        _graph.Initializer.Add(OnnxTensorEncoding.FromTorch(unique, tensor));
        return unique;
    }

    /// <summary>Adds a float32 constant (an initializer) with values in row-major order.</summary>
    /// <param name="nameHint">Name hint; made unique.</param>
    /// <param name="values">Values.</param>
    /// <param name="dims">Shape; no dims means a scalar.</param>
    /// <returns>The constant's value name.</returns>
    public string AddConstant(string nameHint, float[] values, params long[] dims) =>
        AddEncodedConstant(nameHint, values, dims, OnnxTensorEncoding.FromFloats);

    /// <summary>Adds an int64 constant (an initializer) with values in row-major order.</summary>
    /// <param name="nameHint">Name hint; made unique.</param>
    /// <param name="values">Values.</param>
    /// <param name="dims">Shape; no dims means a scalar.</param>
    /// <returns>The constant's value name.</returns>
    public string AddConstant(string nameHint, long[] values, params long[] dims) =>
        AddEncodedConstant(nameHint, values, dims, OnnxTensorEncoding.FromInt64s);

    /// <summary>Adds a string constant (an initializer) with values in row-major order.</summary>
    /// <param name="nameHint">Name hint; made unique.</param>
    /// <param name="values">Values.</param>
    /// <param name="dims">Shape; no dims means a scalar.</param>
    /// <returns>The constant's value name.</returns>
    public string AddConstant(string nameHint, string[] values, params long[] dims) =>
        AddEncodedConstant(nameHint, values, dims, OnnxTensorEncoding.FromStrings);

    private string AddEncodedConstant<T>(string nameHint, T[] values, long[] dims, Func<string, T[], long[], TensorProto> encode)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(dims);
        string name = UniqueName(nameHint);
        _graph.Initializer.Add(encode(name, values, dims));
        return name;
    }

    /// <summary>Adds a node with one output.</summary>
    /// <param name="opType">Operator name in the default domain, e.g. "Conv".</param>
    /// <param name="inputs">Input value names; an empty string marks an omitted optional input.</param>
    /// <param name="output">Output value name; when null a fresh name derived from <paramref name="opType"/> is used.</param>
    /// <param name="attributes">Operator attributes.</param>
    /// <returns>The output value name.</returns>
    public string AddNode(string opType, IReadOnlyList<string> inputs, string? output = null, params OnnxAttribute[] attributes)
    {
        string outputName;
        if (output is null)
        {
            outputName = UniqueName(opType);
        }
        else
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(output);
            if (!_reservedOutputs.Remove(output) && !_usedNames.Add(output))
                throw new ArgumentException($"The graph already has a value named '{output}'.", nameof(output));
            outputName = output;
        }
        AppendNode(opType, inputs, [outputName], attributes);
        return outputName;
    }

    /// <summary>Adds a node with several outputs, each given a fresh name.</summary>
    /// <param name="opType">Operator name in the default domain.</param>
    /// <param name="inputs">Input value names; an empty string marks an omitted optional input.</param>
    /// <param name="outputCount">Number of outputs (at least 1).</param>
    /// <param name="attributes">Operator attributes.</param>
    /// <returns>The output value names in order.</returns>
    public IReadOnlyList<string> AddNode(string opType, IReadOnlyList<string> inputs, int outputCount, params OnnxAttribute[] attributes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++)
            outputs[i] = UniqueName(opType);
        AppendNode(opType, inputs, outputs, attributes);
        return outputs;
    }

    /// <summary>
    /// Records slot names for the graph output <paramref name="outputName"/> the way ML.NET's own ONNX export does, so
    /// <c>ApplyOnnxModel</c> gives that output column a standard <c>SlotNames</c> annotation (which then survives
    /// <c>Model.Save</c>/<c>Load</c>, since the model bytes are saved): a <c>LabelEncoder</c> node (domain
    /// <c>ai.onnx.ml</c>, opset 2) named <c>mlnet.{outputName}.SlotNames</c> whose <c>keys_strings</c> are the names.
    /// The node reads a string constant (a Constant node, not an initializer) and its result is not used, so scoring
    /// and the model's initializers do not change.
    /// </summary>
    /// <param name="outputName">The ML.NET column name of the output (its ONNX output name).</param>
    /// <param name="slotNames">One name per slot, in order.</param>
    public void AddSlotNames(string outputName, IReadOnlyList<string> slotNames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputName);
        ArgumentNullException.ThrowIfNull(slotNames);
        if (slotNames.Count == 0 || slotNames.Any(n => n is null))
            throw new ArgumentException("Slot names must be non-null and at least one.", nameof(slotNames));
        string nodeName = $"mlnet.{outputName}.SlotNames";
        if (_graph.Node.Any(n => n.Name == nodeName))
            throw new ArgumentException($"Slot names of '{outputName}' were already added.", nameof(outputName));
        // A Constant node rather than an initializer, so readers of the model's weights see no string tensor.
        string input = AddNode("Constant", [], null, OnnxAttribute.String("value_string", "one"));
        string output = UniqueName($"mlnet.{outputName}.unusedOutput");
        var node = new NodeProto { OpType = "LabelEncoder", Domain = "ai.onnx.ml", Name = nodeName };
        node.Input.Add(input);
        node.Output.Add(output);
        node.Attribute.Add(OnnxAttribute.Strings("keys_strings", slotNames.ToArray()).ToProto());
        node.Attribute.Add(OnnxAttribute.Ints("values_int64s", Enumerable.Range(0, slotNames.Count).Select(i => (long)i).ToArray()).ToProto());
        _graph.Node.Add(node);
        _usesMlDomain = true;
    }

    /// <summary>Returns <paramref name="hint"/> if no value has that name yet, else <c>hint_1</c>, <c>hint_2</c>, ...; the name is reserved.</summary>
    /// <param name="hint">Preferred name.</param>
    /// <returns>A name no other value uses.</returns>
    public string UniqueName(string hint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hint);
        if (_usedNames.Add(hint))
            return hint;
        _nextSuffix.TryGetValue(hint, out int suffix);
        string candidate;
        do
        {
            suffix++;
            candidate = $"{hint}_{suffix}";
        }
        while (!_usedNames.Add(candidate));
        _nextSuffix[hint] = suffix;
        return candidate;
    }

    /// <summary>Adds a key/value pair to the model's metadata (<c>metadata_props</c>); a repeated key replaces the earlier value.</summary>
    /// <param name="key">Key.</param>
    /// <param name="value">Value.</param>
    public void AddMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata.RemoveAll(e => e.Key == key);
        _metadata.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    /// <summary>Serializes the model (ONNX protobuf bytes).</summary>
    /// <returns>The model bytes.</returns>
    public byte[] ToBytes()
    {
        if (_graph.Output.Count == 0)
            throw new InvalidOperationException("The graph has no outputs: call AddOutput before serializing.");
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "MlNetExt",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (_usesMlDomain)
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx.ml", Version = 2 });
        model.MetadataProps.AddRange(_metadata);
        return model.ToByteArray();
    }

    /// <summary>Writes the model to <paramref name="path"/> through a temporary file that is then renamed, so no half-written file is left.</summary>
    /// <param name="path">Destination file; replaced if it exists.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, ToBytes());
    }

    /// <summary>Keeps <paramref name="name"/> free for a later <c>AddNode(..., output: name)</c>; no other value gets it.</summary>
    internal void ReserveOutputName(string name)
    {
        if (!_usedNames.Add(name))
            throw new ArgumentException($"The graph already has a value named '{name}'.", nameof(name));
        _reservedOutputs.Add(name);
    }

    private void AppendNode(string opType, IReadOnlyList<string> inputs, string[] outputs, OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var input in inputs)
        {
            if (input is null)
                throw new ArgumentException($"A {opType} node input is null; use \"\" for an omitted optional input.", nameof(inputs));
            if (input.Length > 0 && !_usedNames.Contains(input))
                throw new ArgumentException($"A {opType} node reads '{input}', which is not a value of this graph.", nameof(inputs));
        }
        var node = new NodeProto { OpType = opType, Name = outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var attribute in attributes)
            node.Attribute.Add((attribute ?? throw new ArgumentException("Attributes cannot be null.", nameof(attributes))).ToProto());
        _graph.Node.Add(node);
    }

    private static ValueInfoProto ValueInfo(string name, OnnxDataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        bool batchNamed = false;
        for (int i = 0; i < dims.Length; i++)
        {
            long d = dims[i];
            if (d >= 0)
            {
                shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            }
            else if (d == -1)
            {
                shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batchNamed ? $"dim{i}" : BatchDimensionName });
                batchNamed = true;
            }
            else
            {
                throw new ArgumentException($"Dimension {i} of '{name}' is {d}; use a size >= 0, or -1 for a dynamic dimension.", nameof(dims));
            }
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
