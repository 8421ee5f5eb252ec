using Microsoft.ML.OnnxRuntime;
using MlNetExt.Core.Pipelines;

namespace MlNetExt.Core.Models.Scoring;

/// <summary>
/// The ONNX Runtime session that scores one ONNX transformer's graph in batches, created on first use on the device the
/// context's GPU settings give (<see cref="OnnxExecutionDevice"/>). Shared by every cursor of every data view the model
/// returns: <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe.
/// </summary>
internal sealed class OnnxBatchScorer : IDisposable
{
    private readonly Lazy<InferenceSession> _session;
    private volatile bool _disposed;

    public OnnxBatchScorer(OnnxScoringGraph graph)
    {
        Graph = graph;
        _session = new Lazy<InferenceSession>(() => OnnxExecutionDevice.CreateSession(graph.Context, graph.Model),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The graph and its context.</summary>
    public OnnxScoringGraph Graph { get; }

    /// <summary>The session (created on first use).</summary>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public InferenceSession Session
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _session.Value;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        if (_session.IsValueCreated)
            _session.Value.Dispose();
    }
}
