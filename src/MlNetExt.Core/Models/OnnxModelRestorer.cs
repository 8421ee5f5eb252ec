using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using MlNetExt.Core.Onnx;
using MlNetExt.Core.Pipelines;

namespace MlNetExt.Core.Models;

/// <summary>
/// Turns a chain loaded by <c>mlContext.Model.Load</c> back into one with typed MlNetExt models: every chain that
/// directly holds exactly one ONNX transformer whose model carries <c>mlnetext.model</c> is what an MlNetExt model saved
/// (its scoring chain), and is replaced by the typed model wrapping that same chain. Everything else is kept as loaded.
/// </summary>
internal sealed class OnnxModelRestorer
{
    private readonly MLContext _context;
    private readonly SavedModelArchive _archive;
    private readonly OnnxModelFactories _factories;
    private readonly List<OnnxModelTransformer> _restored = new();
    private readonly List<string> _unrestored = new();

    public OnnxModelRestorer(MLContext context, SavedModelArchive archive, OnnxModelFactories factories)
    {
        _context = context;
        _archive = archive;
        _factories = factories;
    }

    /// <summary>The typed models restored, in the order they appear in the model.</summary>
    public IReadOnlyList<OnnxModelTransformer> Restored => _restored;

    /// <summary>The <c>mlnetext.model</c> values found for which no model type was available (they stay plain chains).</summary>
    public IReadOnlyList<string> Unrestored => _unrestored;

    /// <summary>The loaded model with its MlNetExt parts restored.</summary>
    public ITransformer Restore(ITransformer loaded) => Visit(loaded, SavedModelArchive.RootDirectory);

    private ITransformer Visit(ITransformer node, string directory)
    {
        if (node is not TransformerChain<ITransformer> chain)
            return node;

        var elements = chain.ToArray();
        var visited = new ITransformer[elements.Length];
        var tagged = new List<(OnnxModelReader Reader, byte[] Bytes, string Kind)>();
        for (int i = 0; i < elements.Length; i++)
        {
            string elementDirectory = SavedModelArchive.ChainElement(directory, i);
            visited[i] = Visit(elements[i], elementDirectory);
            if (elements[i] is OnnxTransformer && _archive.ReadOnnxModel(elementDirectory) is byte[] bytes)
            {
                // The graph this transformer runs, so a restored model scores it in batches (OnnxModelTransformer.Transform).
                OnnxScoringGraphs.Register(elements[i], bytes, _context);
                var reader = OnnxModelReader.Parse(bytes);
                if (reader.Metadata.TryGetValue(OnnxModelMetadata.Model, out var kind))
                    tagged.Add((reader, bytes, kind));
            }
        }

        bool changed = !visited.SequenceEqual(elements, ReferenceEqualityComparer.Instance);
        var result = changed ? Rebuild(chain, elements, visited) : chain;
        if (tagged.Count != 1)
            return result;

        var (onnx, onnxBytes, modelKind) = tagged[0];
        if (!_factories.TryGet(modelKind, out _, out var restore))
        {
            _unrestored.Add(modelKind);
            return result;
        }
        var model = restore(_context, new RestoredOnnxModel(result, onnxBytes, onnx));
        _restored.Add(model);
        return model;
    }

    /// <summary>A chain of <paramref name="visited"/> with the scopes the loaded chain gave each original element.</summary>
    private static TransformerChain<ITransformer> Rebuild(TransformerChain<ITransformer> chain, ITransformer[] elements, ITransformer[] visited)
    {
        var probes = new[] { TransformerScope.Training, TransformerScope.Testing, TransformerScope.Scoring }
            .Select(scope => (Scope: scope, Members: chain.GetModelFor(scope).ToHashSet(ReferenceEqualityComparer.Instance)))
            .ToArray();
        var scopes = elements.Select(e => probes.Where(p => p.Members.Contains(e))
            .Aggregate(TransformerScope.None, (scope, p) => scope | p.Scope));
        return new TransformerChain<ITransformer>(visited, scopes);
    }
}
