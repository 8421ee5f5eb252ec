using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetExt.Core.Models;
using MlNetExt.Core.Onnx.Protobuf;
using MlNetExt.Core.Pipelines;

namespace MlNetExt.Core.Onnx.Export;

/// <summary>
/// Exports a fitted pipeline (standard ML.NET transformers around MlNetExt models) to one ONNX model. The pipeline is cut
/// into segments: runs of standard transformers are exported by ML.NET's converter (opset 12, raised to the MlNetExt
/// graphs' opset 17 where an operator's signature changed), and each ONNX transformer of an MlNetExt model contributes the
/// graph it runs. The segments are spliced by column name: a segment's input named after a column reads the tensor
/// that holds that column at that point. Every segment's names get a prefix (<c>s{index}.</c>) so they cannot clash; the
/// pipeline's inputs keep their column names and its outputs are named <c>{column}.output</c>, as ML.NET's converter names
/// them. The MlNetExt metadata (<c>mlnetext.*</c>) and the converter's metadata are kept.
/// </summary>
internal static class PipelineOnnxExporter
{
    private const int ConverterOpset = 12;
    private const string OutputSuffix = ".output";

    private sealed record Step(ITransformer Transformer, string Description, byte[]? Graph);

    public static byte[] Export(MLContext context, ITransformer model, IDataView inputData)
    {
        var steps = new List<Step>();
        Flatten(model, owner: null, steps);
        var merged = new GraphProto { Name = "mlnetext.pipeline" };
        var opsets = new Dictionary<string, long>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        long irVersion = OnnxGraphBuilder.IrVersion;
        // Column name -> the tensor that holds it now, and its declared type.
        var columns = new Dictionary<string, (string Tensor, ValueInfoProto Info)>(StringComparer.Ordinal);
        var graphInputs = new HashSet<string>(StringComparer.Ordinal);
        var view = inputData;
        int segment = 0;
        for (int i = 0; i < steps.Count; segment++)
        {
            ModelProto part;
            ITransformer applied;
            bool converted = steps[i].Graph is null;
            if (steps[i].Graph is byte[] graph)
            {
                part = ModelProto.Parser.ParseFrom(graph);
                applied = steps[i].Transformer;
                i++;
            }
            else
            {
                int end = i;
                while (end < steps.Count && steps[end].Graph is null)
                    end++;
                var run = steps.GetRange(i, end - i);
                part = Convert(context, run, view);
                applied = new TransformerChain<ITransformer>(run.Select(s => s.Transformer).ToArray());
                i = end;
            }
            var outputSchema = applied.GetOutputSchema(view.Schema);
            Splice(part, $"s{segment}.", merged, columns, graphInputs, outputSchema, converted);
            foreach (var opset in part.OpsetImport)
                opsets[opset.Domain] = Math.Max(opsets.GetValueOrDefault(opset.Domain), opset.Version);
            foreach (var entry in part.MetadataProps)
                metadata[entry.Key] = entry.Value;
            irVersion = Math.Max(irVersion, part.IrVersion);
            view = applied.Transform(view);
        }

        foreach (var column in view.Schema.Where(c => !c.IsHidden))
        {
            if (!columns.TryGetValue(column.Name, out var held))
                continue;
            string name = column.Name + OutputSuffix;
            merged.Node.Add(new NodeProto { OpType = "Identity", Name = "output." + column.Name, Input = { held.Tensor }, Output = { name } });
            var info = held.Info.Clone();
            info.Name = name;
            merged.Output.Add(info);
        }
        if (merged.Output.Count == 0)
            throw new InvalidOperationException("The exported pipeline has no output column that ONNX can represent.");

        var result = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = "MlNetExt",
            ProducerVersion = typeof(PipelineOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            Graph = merged,
        };
        opsets[""] = Math.Max(opsets.GetValueOrDefault(""), 17);
        result.OpsetImport.AddRange(opsets.Select(o => new OperatorSetIdProto { Domain = o.Key, Version = o.Value }));
        result.MetadataProps.AddRange(metadata.Select(m => new StringStringEntryProto { Key = m.Key, Value = m.Value }));
        return result.ToByteArray();
    }

    /// <summary>Lists the pipeline's transformers in order, an MlNetExt model replaced by its scoring chain; each is
    /// described by its type, its position in the list and the MlNetExt model it belongs to.</summary>
    private static void Flatten(ITransformer transformer, string? owner, List<Step> steps)
    {
        switch (transformer)
        {
            case OnnxModelTransformer model:
                string kind = model.OnnxMetadata.GetValueOrDefault(OnnxModelMetadata.Model) ?? model.GetType().Name;
                Flatten(model.Model, $"the MlNetExt model '{kind}' ({model.GetType().Name})", steps);
                break;
            case IEnumerable<ITransformer> chain:
                foreach (var part in chain)
                    Flatten(part, owner, steps);
                break;
            default:
                byte[]? graph = OnnxScoringGraphs.TryGet(transformer, out var scoring) ? scoring.Model : null;
                string position = owner is null ? $"pipeline step {steps.Count}" : $"pipeline step {steps.Count}, inside {owner}";
                steps.Add(new Step(transformer, $"{transformer.GetType().Name} ({position})", graph));
                break;
        }
    }

    /// <summary>ML.NET's converter on a run of standard transformers; when it fails, finds and names the first one it
    /// cannot export.</summary>
    private static ModelProto Convert(MLContext context, List<Step> run, IDataView input)
    {
        try
        {
            return ConvertChain(context, run.Select(s => s.Transformer).ToArray(), input);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException or NotImplementedException)
        {
            var view = input;
            foreach (var step in run)
            {
                try
                {
                    ConvertChain(context, [step.Transformer], view);
                }
                catch (Exception inner) when (inner is InvalidOperationException or NotSupportedException or ArgumentException or NotImplementedException)
                {
                    throw new NotSupportedException(
                        $"ML.NET's ONNX converter cannot export {step.Description}: {inner.Message}", inner);
                }
                view = step.Transformer.Transform(view);
            }
            throw new NotSupportedException($"ML.NET's ONNX converter cannot export the transformers {string.Join(", ", run.Select(s => s.Description))} together: {e.Message}", e);
        }
    }

    private static ModelProto ConvertChain(MLContext context, ITransformer[] transformers, IDataView input)
    {
        // The converter walks the transformed view back to its root, so it is given a root with the visible columns of
        // the data at this point (only the schema is read; slot names and key values travel as annotations).
        var visible = new DataViewSchema.Builder();
        foreach (var column in input.Schema.Where(c => !c.IsHidden))
            visible.AddColumn(column.Name, column.Type, column.Annotations);
        using var stream = new MemoryStream();
        context.Model.ConvertToOnnx(new TransformerChain<ITransformer>(transformers), new SchemaOnlyDataView(visible.ToSchema()), ConverterOpset, stream);
        var model = ModelProto.Parser.ParseFrom(stream.ToArray());
        OpsetUpgrade.ToOpset17(model.Graph);
        return model;
    }

    private static void Splice(ModelProto part, string prefix, GraphProto merged,
        Dictionary<string, (string Tensor, ValueInfoProto Info)> columns, HashSet<string> graphInputs, DataViewSchema outputSchema, bool isConverted)
    {
        var graph = part.Graph;
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in graph.Input)
        {
            if (columns.TryGetValue(input.Name, out var held))
            {
                renames[input.Name] = held.Tensor;
            }
            else
            {
                // A column of the pipeline's input data: it becomes an input of the exported model, under its own name.
                renames[input.Name] = input.Name;
                if (graphInputs.Add(input.Name))
                {
                    merged.Input.Add(input.Clone());
                    columns[input.Name] = (input.Name, input.Clone());
                }
            }
        }
        string Rename(string name) => name.Length == 0 ? name : renames.TryGetValue(name, out var mapped) ? mapped : prefix + name;

        foreach (var node in graph.Node)
        {
            if (node.Attribute.Any(a => a.Type is AttributeProto.Types.AttributeType.Graph or AttributeProto.Types.AttributeType.Graphs))
                throw new NotSupportedException($"The ONNX node '{node.Name}' ({node.OpType}) has a subgraph; the pipeline exporter does not splice subgraphs.");
            var copy = node.Clone();
            copy.Name = node.Name.Length == 0 ? "" : prefix + node.Name;
            copy.Input.Clear();
            copy.Input.AddRange(node.Input.Select(Rename));
            copy.Output.Clear();
            copy.Output.AddRange(node.Output.Select(Rename));
            merged.Node.Add(copy);
        }
        foreach (var initializer in graph.Initializer)
        {
            if (renames.ContainsKey(initializer.Name))
                continue; // an initializer that doubles as an input is given by the data
            var copy = initializer.Clone();
            copy.Name = Rename(initializer.Name);
            merged.Initializer.Add(copy);
        }
        foreach (var info in graph.ValueInfo)
        {
            var copy = info.Clone();
            copy.Name = Rename(info.Name);
            merged.ValueInfo.Add(copy);
        }
        foreach (var output in graph.Output)
        {
            // The converter names a column's output '{column}.output'; an MlNetExt graph names it after the column.
            string column = isConverted
                ? (output.Name.EndsWith(OutputSuffix, StringComparison.Ordinal) ? output.Name[..^OutputSuffix.Length] : "")
                : output.Name;
            if (column.Length == 0 || outputSchema.GetColumnOrNull(column) is null)
                continue;
            columns[column] = (Rename(output.Name), output.Clone());
        }
    }
}
