using Microsoft.ML;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;
using MlNetExt.Embeddings.Cca;
using MlNetExt.Embeddings.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>
/// Trains an MLP with an L2-normalised output by triplet loss (online mining over P x K class-balanced batches) and
/// returns ApplyOnnxModel over the exported network (normalisation included in the graph).
/// </summary>
public sealed class TripletEmbeddingEstimator : IEstimator<ITransformer>
{
    private readonly MLContext _context;
    private readonly TripletEmbeddingOptions _options;

    /// <summary>Creates the estimator; it trains under <paramref name="context"/> (its seed, log and GPU settings).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Columns, model and training options.</param>
    public TripletEmbeddingEstimator(MLContext context, TripletEmbeddingOptions options)
    {
        _context = context;
        _options = options;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EmbeddingDimension, 1, nameof(options.EmbeddingDimension));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1, nameof(options.Epochs));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Margin, nameof(options.Margin));
    }

    /// <summary>The collapse report of the last training batch of the last <see cref="Fit"/>.</summary>
    public CollapseReport? LastCollapseReport { get; private set; }

    /// <inheritdoc/>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        var features = ColumnReader.ReadFloats(input, o.InputColumnName, "Input", out int rows, out int width);
        var labels = ColumnReader.ReadClassIndices(input, o.LabelColumnName, out int classCount);
        var sampler = new ClassBalancedBatchSampler(labels, Math.Min(o.ClassesPerBatch, classCount), o.ExamplesPerClass, o.LabelColumnName);
        int seed = o.Seed ?? 0;
        manual_seed(seed);
        var net = MlpEncoder.Create(width, o.EmbeddingDimension, o.HiddenLayers, o.Activation);
        using var optimizer = optim.Adam(net.parameters(), o.LearningRate);
        using var allFeatures = tensor(features, new long[] { rows, width });
        using var allLabels = tensor(labels.Select(l => (long)l).ToArray());

        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            net.train();
            double lossSum = 0;
            int batches = 0;
            foreach (var batch in sampler.Epoch(seed * 1_000_003 + epoch))
            {
                using var scope = NewDisposeScope();
                var index = tensor(batch.Select(i => (long)i).ToArray());
                var embeddings = nn.functional.normalize(net.forward(allFeatures.index_select(0, index)), p: 2, dim: 1);
                var batchLabels = allLabels.index_select(0, index);
                optimizer.zero_grad();
                var loss = TripletLoss.BatchLoss(embeddings, batchLabels, o.Margin, o.Distance, o.Mining, o.Reduction);
                loss.backward();
                optimizer.step();
                double value = loss.item<float>();
                if (!double.IsFinite(value))
                    throw new InvalidOperationException($"Triplet training diverged at epoch {epoch} (loss {value}).");
                lossSum += value;
                batches++;
                LastCollapseReport = CollapseDetector.Assess(embeddings.detach(), batchLabels, o.Margin, o.Distance);
            }
            o.Progress?.Invoke(epoch, lossSum / Math.Max(1, batches), LastCollapseReport!);
        }
        net.eval();

        var graph = new OnnxGraphBuilder("triplet_embedding");
        var value0 = graph.AddInput(o.InputColumnName, OnnxDataType.Float, -1, width);
        var encoded = OnnxModuleExporter.Emit(graph, net, value0, "encoder.");
        graph.AddNode("LpNormalization", new[] { encoded }, o.OutputColumnName, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("p", 2));
        graph.AddOutput(o.OutputColumnName, OnnxDataType.Float, -1, o.EmbeddingDimension);
        return OnnxTransformerFactory.Create(_context, graph.ToBytes(), new[] { o.OutputColumnName }, new[] { o.InputColumnName }, input.Schema);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        if (!inputSchema.Any(c => c.Name == _options.InputColumnName))
            throw new ArgumentException($"Input column '{_options.InputColumnName}' was not found in the input schema.");
        return _context.Transforms.CopyColumns(_options.OutputColumnName, _options.InputColumnName).GetOutputSchema(inputSchema);
    }
}
